//! Issue 9: asking the delegate for information (a paused clock) and extensions.
