//! Issue 9: stage deadlines on items and lists, and the coordinator's deadlines page.
