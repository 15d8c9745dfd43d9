//! The people of the desk at an office PC, each doing their part by clicking and
//! typing; every page on the way is checked with axe-core.

use crate::browser::{browser_test, DESKTOP};
use crate::cast::{approved, cast, published, submitted};
use crate::helpers::PASSWORD;
use dialogue_desk::domain::Role;

#[test]
fn a_delegate_files_a_proposal_finds_it_in_their_list_and_withdraws_another() {
    browser_test(DESKTOP, async |app, browser| {
        let delegate = app.add_user(Role::Delegate, None);

        // Logged in, the delegate lands on their (empty) list.
        browser.login(&delegate).await;
        assert_eq!(browser.path().await, "/my");
        browser.axe_check().await;

        // The first proposal, through the form.
        browser.click_link("Gửi kiến nghị mới").await;
        browser.axe_check().await;
        browser
            .fill("Tiêu đề", "Tiêu chuẩn bổ nhiệm lại cán bộ cấp phòng")
            .await;
        browser.choose("Lĩnh vực", "Tổ chức cán bộ").await;
        browser
            .fill(
                "Nội dung",
                "Đề nghị ban hành hướng dẫn thống nhất.\nDòng thứ hai giữ nguyên.",
            )
            .await;
        browser.fill("Đơn vị liên quan (nếu có)", "Sở Nội vụ").await;
        browser.click("Gửi kiến nghị").await;
        assert!(browser.path().await.ends_with("/submitted"));
        assert_eq!(browser.text_of(".reference").await, "KN-2023-0001");
        browser.axe_check().await;

        // A second one, in another field.
        browser.click_link("Gửi kiến nghị mới").await;
        browser
            .fill("Tiêu đề", "Rút ngắn thời gian cấp phép xây dựng")
            .await;
        browser.choose("Lĩnh vực", "Thủ tục hành chính").await;
        browser
            .fill(
                "Nội dung",
                "Đề nghị công khai quy trình và thời hạn xử lý hồ sơ.",
            )
            .await;
        browser.click("Gửi kiến nghị").await;
        assert_eq!(browser.text_of(".reference").await, "KN-2023-0002");

        // Both are in "Kiến nghị của tôi".
        browser.click_link("Kiến nghị của tôi").await;
        assert_eq!(browser.path().await, "/my");
        let list = browser.text_of("table.items").await;
        assert!(
            list.contains("Tiêu chuẩn bổ nhiệm lại cán bộ cấp phòng"),
            "{list}"
        );
        assert!(
            list.contains("Rút ngắn thời gian cấp phép xây dựng"),
            "{list}"
        );
        browser.axe_check().await;

        // The first one opens with its content, line breaks kept.
        browser.click_link("KN-2023-0001").await;
        assert_eq!(
            browser.text_of("h1").await,
            "Tiêu chuẩn bổ nhiệm lại cán bộ cấp phòng"
        );
        assert_eq!(
            browser.text_of(".prose").await,
            "Đề nghị ban hành hướng dẫn thống nhất.\nDòng thứ hai giữ nguyên."
        );
        browser.axe_check().await;

        // The second is withdrawn: a reason is required, then given.
        browser.click_link("Kiến nghị của tôi").await;
        browser.click_link("KN-2023-0002").await;
        browser.click("Rút kiến nghị").await;
        assert_eq!(
            browser.text_of("#withdraw_reason-error").await,
            "Vui lòng nhập nội dung."
        );
        browser.axe_check().await;
        browser
            .fill("Lý do rút", "Đơn vị đã tự giải quyết được.")
            .await;
        browser.click("Rút kiến nghị").await;
        assert_eq!(browser.text_of(".flash").await, "Đã rút kiến nghị.");
        assert_eq!(browser.text_of(".item-header .status").await, "Đã rút");
        assert!(browser
            .text_of(".timeline")
            .await
            .contains("Đơn vị đã tự giải quyết được."));
        browser.axe_check().await;
    });
}

#[test]
fn a_drafter_sends_an_answer_for_review_and_the_approver_returns_it_once_then_approves() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        submitted(
            app,
            &people.delegate,
            "Chế độ đối với cán bộ luân chuyển",
            "to-chuc-can-bo",
        )
        .await;

        // The drafter finds the item in the body's queue and writes a first answer.
        browser.login(&people.drafter).await;
        assert_eq!(browser.path().await, "/queue");
        browser.axe_check().await;
        browser.click_link("KN-2023-0001").await;
        browser.axe_check().await;
        browser
            .fill(
                "Nội dung trả lời",
                "Ban Tổ chức Tỉnh ủy sẽ ban hành hướng dẫn.",
            )
            .await;
        browser.tick("Giải trình, làm rõ").await;
        browser.click("Lưu và trình phê duyệt").await;
        assert_eq!(browser.text_of(".flash").await, "Đã trình phê duyệt.");
        assert_eq!(
            browser.text_of(".item-header .status").await,
            "Chờ phê duyệt"
        );
        browser.logout().await;

        // The approver returns it with a comment.
        browser.login(&people.approver).await;
        assert_eq!(browser.path().await, "/review");
        browser.axe_check().await;
        browser.click_link("KN-2023-0001").await;
        assert!(browser
            .text_of(".draft")
            .await
            .contains("Ban Tổ chức Tỉnh ủy sẽ ban hành hướng dẫn."));
        browser.axe_check().await;
        browser
            .fill("Ý kiến khi trả lại", "Cần nêu rõ thời hạn ban hành.")
            .await;
        browser.click("Trả lại để soạn tiếp").await;
        assert_eq!(browser.text_of(".flash").await, "Đã trả lại dự thảo.");
        browser.logout().await;

        // The drafter reads the comment, finds the draft kept, and revises it.
        browser.login(&people.drafter).await;
        browser.click_link("KN-2023-0001").await;
        assert!(browser
            .text_of(".timeline")
            .await
            .contains("Cần nêu rõ thời hạn ban hành."));
        assert_eq!(
            browser.value_of("Nội dung trả lời").await,
            "Ban Tổ chức Tỉnh ủy sẽ ban hành hướng dẫn."
        );
        browser
            .fill(
                "Nội dung trả lời",
                "Ban Tổ chức Tỉnh ủy sẽ ban hành hướng dẫn trước ngày 30/9/2023.",
            )
            .await;
        browser.click("Lưu và trình phê duyệt").await;
        browser.axe_check().await;
        browser.logout().await;

        // The approver approves the revised answer.
        browser.login(&people.approver).await;
        browser.click_link("KN-2023-0001").await;
        assert!(browser
            .text_of(".draft")
            .await
            .contains("trước ngày 30/9/2023"));
        browser.click("Phê duyệt").await;
        assert_eq!(browser.text_of(".flash").await, "Đã phê duyệt câu trả lời.");
        assert_eq!(
            browser.text_of(".item-header .status").await,
            "Đã phê duyệt"
        );
        browser.axe_check().await;
    });
}

#[test]
fn the_coordinator_re_routes_an_item_and_publishes_a_selection() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        for n in 1..=3 {
            approved(
                app,
                &people,
                &format!("Đề xuất về công tác cán bộ số {n}"),
                &format!("Trả lời số {n}."),
            )
            .await;
        }
        // "Khác" goes to the Agencies Bloc Party Committee, which triages.
        submitted(
            app,
            &people.delegate,
            "Tuyên truyền kết quả hội nghị đối thoại",
            "khac",
        )
        .await;

        browser.login(&people.coordinator).await;
        assert_eq!(browser.path().await, "/triage");
        browser.axe_check().await;
        browser.click_link("KN-2023-0004").await;
        browser.axe_check().await;
        browser
            .choose("Chuyển đến cơ quan", "Ban Tuyên giáo Tỉnh ủy")
            .await;
        browser
            .fill(
                "Lý do chuyển",
                "Nội dung thuộc lĩnh vực thông tin, tuyên truyền.",
            )
            .await;
        browser.click("Chuyển").await;
        assert_eq!(browser.text_of(".flash").await, "Đã chuyển kiến nghị.");
        assert!(browser
            .text_of(".details")
            .await
            .contains("Ban Tuyên giáo Tỉnh ủy"));
        browser.axe_check().await;

        // Two of the three approved answers are published at once.
        browser.click_link("Chờ công bố").await;
        assert_eq!(browser.path().await, "/publish");
        browser.axe_check().await;
        browser.tick("Chọn KN-2023-0001").await;
        browser.tick("Chọn KN-2023-0002").await;
        browser.click("Công bố các câu trả lời đã chọn").await;
        assert_eq!(
            browser.text_of(".flash").await,
            "Đã công bố các câu trả lời đã chọn."
        );
        let left = browser.text_of("table.items").await;
        assert!(left.contains("KN-2023-0003"), "{left}");
        assert!(!left.contains("KN-2023-0001") && !left.contains("KN-2023-0002"));
        browser.axe_check().await;

        // The delegate is emailed each published answer.
        let smtp = app.smtp.as_ref().expect("the mail server");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let mut subjects = Vec::new();
        while subjects.len() < 2 && std::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            subjects = smtp
                .received()
                .iter()
                .map(|m| m.subject())
                .filter(|s| s.starts_with("Đã có câu trả lời cho kiến nghị"))
                .collect();
        }
        subjects.sort();
        assert_eq!(
            subjects,
            [
                "Đã có câu trả lời cho kiến nghị KN-2023-0001",
                "Đã có câu trả lời cho kiến nghị KN-2023-0002"
            ]
        );
    });
}

#[test]
fn a_delegate_reads_the_answer_in_english_and_rates_it() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        published(
            app,
            &people,
            "Quy trình đánh giá cán bộ hằng năm",
            "Ban Tổ chức Tỉnh ủy sẽ sửa đổi quy trình trong quý IV.",
        )
        .await;

        browser.login(&people.delegate).await;
        assert_eq!(browser.language().await, "vi");
        assert!(browser.text_of("h1").await.starts_with("Kiến nghị của tôi"));

        // The header button switches to English, on the same page.
        browser.click("English").await;
        assert_eq!(browser.path().await, "/my");
        assert_eq!(browser.language().await, "en");
        assert!(browser.text_of("h1").await.starts_with("My proposals"));
        assert!(browser.text_of("table.items").await.contains("Answered"));
        browser.axe_check().await;

        // The answer, then the rating.
        browser.click_link("KN-2023-0001").await;
        assert_eq!(browser.text_of("#answer-heading").await, "Answer");
        assert!(browser
            .text_of(".answer")
            .await
            .contains("Ban Tổ chức Tỉnh ủy sẽ sửa đổi quy trình trong quý IV."));
        browser.axe_check().await;
        browser.tick("Partly satisfied").await;
        browser
            .fill("Comment (optional)", "Cần cụ thể hơn về thời hạn.")
            .await;
        browser.click("Send rating").await;
        assert_eq!(
            browser.text_of(".flash").await,
            "Thank you for your rating."
        );
        let rating = browser
            .text_of("[aria-labelledby=satisfaction-heading]")
            .await;
        assert!(rating.contains("Partly satisfied"), "{rating}");
        assert!(rating.contains("Cần cụ thể hơn về thời hạn."), "{rating}");
        browser.axe_check().await;

        // And back to Vietnamese; the choice stays with the delegate.
        browser.click("Tiếng Việt").await;
        assert_eq!(browser.language().await, "vi");
        assert!(browser
            .text_of("[aria-labelledby=satisfaction-heading]")
            .await
            .contains("Hài lòng một phần"));
        browser.axe_check().await;
    });
}

#[test]
fn an_administrator_adds_a_user_and_changes_a_fields_lead_body() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);

        browser.login(&people.admin).await;
        assert_eq!(browser.path().await, "/admin/users");
        browser.axe_check().await;

        // A drafter of the Propaganda Department, with an initial password.
        browser.click_link("Thêm người dùng").await;
        browser.axe_check().await;
        browser
            .fill("Thư điện tử", "tran.binh@tuyengiao.test.vn")
            .await;
        browser.fill("Họ và tên", "Trần Thị Bình").await;
        browser
            .fill("Đơn vị công tác", "Ban Tuyên giáo Tỉnh ủy")
            .await;
        browser.choose("Vai trò", "Chuyên viên").await;
        browser.choose("Cơ quan", "Ban Tuyên giáo Tỉnh ủy").await;
        browser
            .untick("Gửi thư mời để người dùng tự đặt mật khẩu")
            .await;
        browser.fill("Mật khẩu ban đầu", PASSWORD).await;
        browser.click("Thêm mới").await;
        assert_eq!(browser.text_of(".flash").await, "Đã tạo tài khoản.");
        assert!(browser
            .text_of("table.items")
            .await
            .contains("Trần Thị Bình"));
        browser.axe_check().await;

        // The routing table: "anything else" now goes to the Propaganda Department.
        browser.click_link("Lĩnh vực và phân công").await;
        browser.axe_check().await;
        browser
            .click_link("Sửa Xây dựng Đảng trong Khối và các vấn đề khác")
            .await;
        browser.axe_check().await;
        browser
            .choose("Cơ quan chủ trì mặc định", "Ban Tuyên giáo Tỉnh ủy")
            .await;
        browser.click("Lưu thay đổi").await;
        assert_eq!(
            browser.text_of(".flash").await,
            "Đã lưu thay đổi của lĩnh vực và bảng phân công."
        );
        assert_eq!(browser.path().await, "/admin/fields");
        let table = browser.text_of("table.items").await;
        let row = table
            .lines()
            .find(|l| l.contains("Xây dựng Đảng trong Khối"))
            .unwrap_or_default();
        assert!(row.contains("Ban Tuyên giáo Tỉnh ủy"), "{table}");
        browser.axe_check().await;
        browser.logout().await;

        // A new proposal of that field lands in the new user's queue.
        submitted(
            app,
            &people.delegate,
            "Sinh hoạt chi bộ theo chuyên đề",
            "khac",
        )
        .await;
        let new_user = crate::helpers::TestUser {
            id: dialogue_desk::domain::UserId(0), // Not needed to log in.
            email: "tran.binh@tuyengiao.test.vn".into(),
            password: PASSWORD.into(),
        };
        browser.login(&new_user).await;
        assert_eq!(browser.path().await, "/queue");
        assert!(browser
            .text_of("table.items")
            .await
            .contains("Sinh hoạt chi bộ theo chuyên đề"));
    });
}

#[test]
fn an_incomplete_proposal_shows_each_message_beside_its_field_and_keeps_the_text() {
    browser_test(DESKTOP, async |app, browser| {
        let delegate = app.add_user(Role::Delegate, None);
        browser.login(&delegate).await;

        // Too short a title, no field, no content.
        browser.click_link("Gửi kiến nghị mới").await;
        browser.fill("Tiêu đề", "Ab").await;
        browser.fill("Đơn vị liên quan (nếu có)", "Sở Y tế").await;
        browser.click("Gửi kiến nghị").await;
        assert!(browser
            .text_of("#title-error")
            .await
            .starts_with("Phải có từ"));
        assert_eq!(
            browser.text_of("#field_id-error").await,
            "Vui lòng chọn lĩnh vực."
        );
        assert!(browser
            .text_of("#content-error")
            .await
            .starts_with("Phải có từ"));
        // Each message is tied to its field, and what was typed is still there.
        assert_eq!(
            browser.attribute_of("Tiêu đề", "aria-describedby").await,
            Some("title-error".into())
        );
        assert_eq!(
            browser.attribute_of("Tiêu đề", "aria-invalid").await,
            Some("true".into())
        );
        assert_eq!(browser.value_of("Tiêu đề").await, "Ab");
        assert_eq!(
            browser.value_of("Đơn vị liên quan (nếu có)").await,
            "Sở Y tế"
        );
        assert!(browser.has("#error-summary a[href='#title']").await);
        browser.axe_check().await;

        // In English the messages are English.
        browser.click("English").await;
        browser.click_link("New proposal").await;
        browser.fill("Title", "Đào tạo cán bộ trẻ nguồn").await;
        browser.fill("Content", "Ngắn").await;
        browser.click("Submit").await;
        assert!(browser
            .text_of("#content-error")
            .await
            .starts_with("Must be between"));
        assert!(!browser.has("#title-error").await);
        assert_eq!(browser.value_of("Title").await, "Đào tạo cán bộ trẻ nguồn");
        assert_eq!(browser.value_of("Content").await, "Ngắn");
        browser.axe_check().await;

        // Completed, it goes through.
        browser
            .choose("Field", "Cadre organization and personnel")
            .await;
        browser
            .fill(
                "Content",
                "Đề nghị có chương trình đào tạo cán bộ trẻ trong quy hoạch.",
            )
            .await;
        browser.click("Submit").await;
        assert!(browser.path().await.ends_with("/submitted"));
        assert_eq!(browser.text_of(".reference").await, "KN-2023-0001");
    });
}
