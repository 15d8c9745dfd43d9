//! The database schema in types both SQLite and PostgreSQL understand.
//! Kept by hand in step with `migrations/sqlite` and `migrations/postgres`.

diesel::table! {
    bodies (id) {
        id -> Integer,
        code -> Text,
        name_vi -> Text,
        name_en -> Text,
        is_coordinating -> Bool,
        active -> Bool,
        parent_id -> Nullable<Integer>,
    }
}

diesel::table! {
    fields (id) {
        id -> Integer,
        code -> Text,
        name_vi -> Text,
        name_en -> Text,
        lead_body_id -> Nullable<Integer>,
        sort_order -> Integer,
        active -> Bool,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        full_name -> Text,
        unit -> Text,
        role -> Text,
        body_id -> Nullable<Integer>,
        password_hash -> Text,
        locale -> Text,
        active -> Bool,
        created_at -> Timestamp,
        password_changed_at -> Timestamp,
    }
}

diesel::table! {
    muted_notices (user_id, event) {
        user_id -> Integer,
        event -> Text,
    }
}

diesel::table! {
    conferences (id) {
        id -> Integer,
        name -> Text,
        theme -> Text,
        held_on -> Date,
        notice_number -> Text,
        response_days -> Integer,
        open_for_submissions -> Bool,
        reference_prefix -> Text,
        last_reference_number -> Integer,
        created_at -> Timestamp,
        // Issue 9 (2026-12-02-000700_deadlines): working days per stage, due soon,
        // escalation after N working days overdue.
        triage_days -> Integer,
        drafting_days -> Integer,
        approval_days -> Integer,
        publication_days -> Integer,
        due_soon_days -> Integer,
        escalate_to_head_after -> Integer,
        escalate_to_coordinators_after -> Integer,
    }
}

diesel::table! {
    items (id) {
        id -> Integer,
        conference_id -> Integer,
        reference_number -> Integer,
        reference -> Text,
        delegate_id -> Integer,
        submission_token -> Text,
        title -> Text,
        content -> Text,
        field_id -> Integer,
        related_units -> Text,
        status -> Text,
        lead_body_id -> Nullable<Integer>,
        merged_into_id -> Nullable<Integer>,
        approved_revision_id -> Nullable<Integer>,
        published_revision_id -> Nullable<Integer>,
        submitted_at -> Timestamp,
        deadline -> Timestamp,
        published_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        satisfaction -> Nullable<Text>,
        satisfaction_comment -> Nullable<Text>,
        search_text -> Text,
        // Issue 9 (2026-12-02-000700_deadlines): the item's clock.
        stage_due_at -> Nullable<Timestamp>,
        next_due_at -> Nullable<Timestamp>,
        due_soon_at -> Nullable<Timestamp>,
        paused_at -> Nullable<Timestamp>,
        original_deadline -> Timestamp,
        // Issue 10 (2026-12-02-000800_follow_up): outcome, resolution, the result.
        outcome -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        result_satisfaction -> Nullable<Text>,
        result_comment -> Nullable<Text>,
    }
}

diesel::table! {
    item_coordinating_bodies (item_id, body_id) {
        item_id -> Integer,
        body_id -> Integer,
        added_by -> Integer,
        added_at -> Timestamp,
    }
}

diesel::table! {
    answer_revisions (id) {
        id -> Integer,
        item_id -> Integer,
        body_text -> Text,
        author_id -> Integer,
        created_at -> Timestamp,
        // Issue 10 (2026-12-02-000800_follow_up): the outcome drafted with it.
        outcome -> Nullable<Text>,
        outcome_reason -> Text,
        forwarded_to -> Text,
        forwarded_on -> Nullable<Date>,
        forwarded_document -> Text,
    }
}

diesel::table! {
    notes (id) {
        id -> Integer,
        item_id -> Integer,
        author_id -> Integer,
        body_text -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    item_events (id) {
        id -> Integer,
        item_id -> Integer,
        actor_id -> Nullable<Integer>,
        kind -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        from_body_id -> Nullable<Integer>,
        to_body_id -> Nullable<Integer>,
        comment -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> Nullable<Integer>,
        csrf_token -> Text,
        locale -> Text,
        flash -> Nullable<Text>,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        // Issue 8 (second factor): the user whose code this session waits for.
        pending_user_id -> Nullable<Integer>,
        // Issue 8 (2026-12-02-000400_session_lifetimes): the browser, for "your sessions".
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    // Issue 8: one row per failure, counted in a sliding window.
    login_failures (id) {
        id -> Integer,
        throttle_key -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Integer,
        message_id -> Text,
        event -> Text,
        item_id -> Nullable<Integer>,
        recipient_user_id -> Nullable<Integer>,
        recipient_email -> Text,
        locale -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    account_tokens (token_hash) {
        token_hash -> Text,
        user_id -> Integer,
        purpose -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(fields -> bodies (lead_body_id));
diesel::joinable!(outbox -> items (item_id));
diesel::joinable!(account_tokens -> users (user_id));
diesel::joinable!(users -> bodies (body_id));
diesel::joinable!(items -> conferences (conference_id));
diesel::joinable!(items -> users (delegate_id));
diesel::joinable!(items -> fields (field_id));
diesel::joinable!(items -> bodies (lead_body_id));
diesel::joinable!(item_coordinating_bodies -> items (item_id));
diesel::joinable!(item_coordinating_bodies -> bodies (body_id));
diesel::joinable!(answer_revisions -> items (item_id));
diesel::joinable!(answer_revisions -> users (author_id));
diesel::joinable!(notes -> items (item_id));
diesel::joinable!(notes -> users (author_id));
diesel::joinable!(item_events -> items (item_id));
diesel::joinable!(item_events -> users (actor_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(muted_notices -> users (user_id));

// Issue 8: the second factor and the audit log (2026-12-02-000200_second_factor).
diesel::table! {
    second_factors (user_id) {
        user_id -> Integer,
        secret_encrypted -> Text,
        confirmed_at -> Nullable<Timestamp>,
        last_used_step -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Integer,
        user_id -> Integer,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    second_factor_settings (id) {
        id -> Integer,
        drafters_required -> Bool,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        actor_id -> Nullable<Integer>,
        action -> Text,
        target_user_id -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(second_factors -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
// End of issue 8's block.

// Issue 9: the calendar.
diesel::table! {
    holidays (id) {
        id -> Integer,
        day -> Date,
        name_vi -> Text,
        name_en -> Text,
        kind -> Text,
    }
}

// Issue 9: stage clocks, extensions and the daily digest.
diesel::table! {
    stage_clocks (id) {
        id -> Integer,
        item_id -> Integer,
        stage -> Text,
        body_id -> Nullable<Integer>,
        started_at -> Timestamp,
        due_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    deadline_extensions (id) {
        id -> Integer,
        item_id -> Integer,
        requested_by -> Integer,
        requested_at -> Timestamp,
        reason -> Text,
        previous_deadline -> Timestamp,
        requested_deadline -> Timestamp,
        status -> Text,
        decided_by -> Nullable<Integer>,
        decided_at -> Nullable<Timestamp>,
        decision_comment -> Text,
    }
}

diesel::table! {
    deadline_digests (user_id, local_day) {
        user_id -> Integer,
        local_day -> Date,
        item_count -> Integer,
        created_at -> Timestamp,
    }
}

diesel::joinable!(stage_clocks -> items (item_id));
diesel::joinable!(stage_clocks -> bodies (body_id));
diesel::joinable!(deadline_extensions -> items (item_id));
diesel::joinable!(deadline_digests -> users (user_id));

// Issue 10: commitments, the notice's tasks, check-ins and inspections.
diesel::table! {
    commitments (id) {
        id -> Integer,
        conference_id -> Integer,
        item_id -> Nullable<Integer>,
        description -> Text,
        owner_body_id -> Integer,
        due_working_days -> Nullable<Integer>,
        due_on -> Nullable<Date>,
        due_at -> Nullable<Timestamp>,
        planned_document -> Text,
        progress -> Text,
        created_by -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    commitment_bodies (commitment_id, body_id) {
        commitment_id -> Integer,
        body_id -> Integer,
    }
}

diesel::table! {
    commitment_checkins (id) {
        id -> Integer,
        commitment_id -> Integer,
        author_id -> Integer,
        progress -> Text,
        note -> Text,
        evidence_link -> Text,
        evidence_number -> Text,
        evidence_date -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    inspections (id) {
        id -> Integer,
        conference_id -> Integer,
        body_id -> Integer,
        commitment_id -> Nullable<Integer>,
        visited_on -> Date,
        findings -> Text,
        recommendations -> Text,
        created_by -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    contributions (id) {
        id -> Integer,
        item_id -> Integer,
        body_id -> Integer,
        request_text -> Text,
        due_at -> Timestamp,
        state -> Text,
        text -> Text,
        return_reason -> Text,
        requested_by -> Integer,
        requested_at -> Timestamp,
        written_by -> Nullable<Integer>,
        approved_by -> Nullable<Integer>,
        approved_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::joinable!(commitments -> items (item_id));
diesel::joinable!(commitments -> conferences (conference_id));
diesel::joinable!(commitments -> bodies (owner_body_id));
diesel::joinable!(commitment_bodies -> commitments (commitment_id));
diesel::joinable!(commitment_checkins -> commitments (commitment_id));
diesel::joinable!(commitment_checkins -> users (author_id));
diesel::joinable!(inspections -> commitments (commitment_id));
diesel::joinable!(contributions -> items (item_id));
diesel::joinable!(contributions -> bodies (body_id));

// A commitment's corrections and escalations (2026-12-02-000911_commitment_history).
diesel::table! {
    commitment_events (id) {
        id -> Integer,
        commitment_id -> Integer,
        kind -> Text,
        actor_id -> Nullable<Integer>,
        previous_due_at -> Nullable<Timestamp>,
        due_at -> Nullable<Timestamp>,
        comment -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(commitment_events -> commitments (commitment_id));
diesel::joinable!(commitment_events -> users (actor_id));

diesel::allow_tables_to_appear_in_same_query!(
    bodies,
    fields,
    users,
    conferences,
    items,
    item_coordinating_bodies,
    answer_revisions,
    notes,
    item_events,
    sessions,
    login_failures,
    outbox,
    account_tokens,
    muted_notices,
    second_factors,
    recovery_codes,
    second_factor_settings,
    audit_log,
    holidays,
    stage_clocks,
    deadline_extensions,
    deadline_digests,
    commitments,
    commitment_bodies,
    commitment_checkins,
    inspections,
    contributions,
    commitment_events,
);
