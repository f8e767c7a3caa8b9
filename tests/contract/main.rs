//! The store contract: the store's behaviour, tested through its public API only, by one suite
//! that every engine runs. Each test is a function of a [`engine::Fixture`] (a store on a new,
//! empty database of one engine); `contract!` below makes it a `#[test]` once per engine, named
//! `ENGINE::NOUN::TEST` (`cargo test --test contract sqlite::queue::`).
//!
//! Engine-specific checks (journal mode, query plans, `user_version` migrations from fixture
//! files, the file's permissions, pragmas) are not here: see `sqlite_file.rs`, `migrations.rs`,
//! `query_plan.rs`.
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod assign;
mod bulk;
mod claim;
mod edit;
mod engine;
mod equivalence;
mod funnel;
mod import;
mod meeting;
mod queue;
mod record;
mod report;
mod search;
mod speed;
mod statuses;
mod touch;
mod zones;

/// Every contract test, by module, instantiated for each engine given: `contract!(name =>
/// engine value, …)`. A test function not listed here is dead code, which the lint refuses.
macro_rules! contract {
    ($($engine:ident => $make:expr),+ $(,)?) => {
        $(
            mod $engine {
                contract!(@tests $make;
                    record: [
                        recording_writes_activity_status_and_next_action_together,
                        a_failing_step_inside_the_transaction_leaves_nothing_behind,
                        invalid_results_are_refused_before_writing,
                        undo_restores_status_counts_and_next_action,
                        undo_is_refused_when_the_lead_changed_since,
                        appointment_stores_sal_rank_and_meeting,
                        custom_next_action_is_kept_with_owner_and_note,
                        a_note_is_history_but_not_a_touch,
                    ],
                    edit: [
                        an_edit_writes_every_field_normalised_and_bumps_the_version,
                        bad_fields_are_refused_with_the_field_named_and_nothing_written,
                        tier_change_reaches_every_lead_of_the_company_and_the_queue_order,
                    ],
                    queue: [
                        a_due_callback_jumps_to_the_top_and_not_before,
                        speed_to_lead_then_tiers,
                        within_a_tier_more_overdue_and_fewer_touches_come_first,
                        an_unconnected_lead_comes_back_after_the_retry_gap_and_not_before,
                        six_unanswered_touches_park_the_lead_as_pending,
                        a_conversation_resets_the_unanswered_count,
                        a_lost_lead_is_back_after_90_days_and_not_after_60,
                        out_of_scope_and_meetings_leave_the_queue,
                        nobody_is_offered_outside_their_own_calling_hours,
                        when_nobody_is_callable_the_next_opening_is_known,
                        the_filter_matches_company_name_and_phone,
                        changed_weights_rebuild_the_stored_keys,
                        capped_count_agrees_with_the_exact_count,
                    ],
                    import: [
                        importing_the_same_file_again_adds_nothing,
                        duplicates_within_a_file_and_across_phone_formats_merge,
                        a_merge_fills_only_empty_fields_and_never_touches_status_or_history,
                        a_file_with_a_bad_row_imports_nothing,
                        arbitrary_bytes_never_panic_or_half_import,
                        an_import_puts_back_every_index_and_trigger_and_keeps_the_rules,
                    ],
                    meeting: [
                        a_report_judges_the_latest_appointment,
                        a_report_on_no_appointment_is_refused_and_writes_nothing,
                    ],
                    report: [
                        counts_and_rates_from_a_hand_built_set,
                        sunday_late_evening_in_tokyo_belongs_to_that_week,
                        driver_connect_rate_when_only_connects_fell,
                        driver_calls_and_appointment_rate,
                        achievement_is_the_actual_over_the_target_at_this_pace,
                        outcomes_win_rate_and_forecast,
                        tagged_notes_grouped_by_tag,
                        load_balance_by_owner_status_age_and_stale,
                        index_counts_equal_a_scan_for_every_breakdown_and_period,
                        load_balance_equals_a_scan,
                        the_dashboard_shows_the_report_numbers,
                    ],
                    claim: [
                        a_claimed_lead_leaves_other_reps_queues_until_released,
                        claim_next_gives_two_reps_different_leads,
                        a_second_claim_is_refused_with_who_holds_it,
                        a_save_by_a_rep_whose_claim_was_taken_over_writes_nothing,
                        a_save_after_the_lease_ran_out_is_refused,
                        a_crashed_reps_claim_expires_with_its_lease,
                        a_save_without_a_claim_on_a_lead_another_rep_holds_is_refused,
                        a_save_ends_the_claim_and_renewing_extends_it,
                        claim_next_follows_the_queue_order_through_every_band,
                        claim_next_skips_live_claims_and_takes_lapsed_ones,
                        claim_next_never_takes_a_promise_another_rep_holds,
                        another_reps_claim_and_save_are_told_to_the_others,
                    ],
                    funnel: [
                        the_funnel_step_by_step_names_the_leaking_step,
                        reasons_are_counted_by_result_and_source_and_their_leads_found,
                        speed_to_lead_median_and_share_within_the_sla,
                        a_running_week_compares_with_the_same_business_days,
                        meetings_are_closed_out_and_lost_or_no_show_go_back_to_nurturing,
                        pending_leads_come_back_after_the_rest,
                        the_plan_is_set_against_what_the_database_says,
                    ],
                    statuses: [
                        lost_can_nurture_without_a_next_action,
                        a_second_appointment_moves_the_first_instead_of_counting_twice,
                        all_three_sal_axes_no_is_unqualified,
                    ],
                    zones: [
                        the_area_code_fixes_the_zone_of_a_multi_zone_country,
                        a_zone_unknown_lead_is_offered_only_when_every_zone_is_open,
                        an_automatic_retry_never_lands_outside_calling_hours,
                        a_callback_promised_outside_calling_hours_is_warned_then_kept,
                        a_saturday_promise_is_kept_too,
                        a_do_not_call_lead_is_never_offered,
                        a_number_on_the_list_marks_every_lead_with_it_now_and_later,
                        a_reps_queue_is_their_leads_plus_unassigned,
                    ],
                    assign: [
                        by_task_an_import_deals_new_leads_round_robin_and_the_turn_carries_over,
                        by_stage_the_setter_owns_the_appointment_and_a_lost_meeting_returns_to_the_pool,
                        by_task_without_reps_an_import_keeps_the_importers_ownership,
                        the_load_by_rep_counts_due_held_and_claimed_leads,
                    ],
                    touch: [
                        an_email_sent_moves_the_lead_on_like_an_unanswered_call,
                        six_touches_on_any_channel_without_an_answer_park_the_lead,
                        a_reply_is_a_conversation_and_a_nurtured_lead_keeps_its_next_action,
                        undo_takes_a_touch_back,
                    ],
                    equivalence: [
                        reports_from_the_aggregates_equal_a_plain_scan_in_tokyo,
                        reports_from_the_aggregates_equal_a_plain_scan_in_kolkata,
                        reports_from_the_aggregates_equal_a_plain_scan_in_new_york,
                        counts_built_late_equal_a_plain_scan,
                        the_load_balance_from_counts_equals_index_ranges,
                    ],
                    speed: [
                        speed_to_lead_from_the_histogram_equals_a_plain_scan_in_tokyo,
                        speed_to_lead_from_the_histogram_equals_a_plain_scan_in_kolkata,
                    ],
                    search: [
                        every_status_is_found_with_where_it_stands,
                        a_phone_in_any_format_finds_the_lead,
                        company_name_and_email_by_substring_any_case,
                        edits_and_company_renames_are_found_at_once,
                        hostile_text_is_found_and_given_back_as_stored,
                    ],
                    bulk: [
                        a_bulk_load_reads_back_like_any_lead,
                        a_failing_bulk_load_writes_nothing,
                        the_synthetic_demo_builds_n_leads,
                    ],
                );
            }
        )+
    };
    (@tests $make:expr; $($noun:ident: [$($test:ident),+ $(,)?]),+ $(,)?) => {
        $(
            mod $noun {
                $(
                    #[test]
                    fn $test() {
                        if let Some(f) = crate::engine::Engine::fresh(&$make) {
                            crate::$noun::$test(f);
                        }
                    }
                )+
            }
        )+
    };
}

contract!(sqlite => crate::engine::Sqlite, postgres => crate::engine::Postgres);
