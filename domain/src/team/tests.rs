use super::*;
use cqrs_es::test::TestFramework;

type TeamTest = TestFramework<Team>;

fn created(name: &str) -> TeamEvent {
    TeamEvent::TeamCreated {
        id: TeamId(7),
        account_id: AccountId(1),
        name: name.into(),
        description: None,
        allow_auto_assign: true,
    }
}

fn new_team(name: Option<&str>) -> NewTeam {
    NewTeam { id: TeamId(7), account_id: AccountId(1), name: name.map(Into::into), ..NewTeam::default() }
}

/// Users 1..=n, each with membership id 100 + n.
fn account(n: i64) -> AccountMembers {
    (1..=n).map(|u| (UserId(u), AccountUserId(100 + u))).collect()
}

fn member(user: i64, membership: i64) -> TeamMember {
    TeamMember { user_id: UserId(user), account_user_id: AccountUserId(membership) }
}

fn ids(list: &[i64]) -> Vec<UserId> {
    list.iter().copied().map(UserId).collect()
}

#[test]
fn a_new_team_name_is_trimmed_and_lower_cased_and_auto_assign_defaults_on() {
    TeamTest::with(())
        .given_no_previous_events()
        .when(TeamCommand::Create(new_team(Some("  Sales EMEA "))))
        .then_expect_events(vec![created("sales emea")]);
}

#[test]
fn a_blank_or_missing_name_is_refused_in_upstream_wording() {
    for name in [None, Some(""), Some("   ")] {
        let result = TeamTest::with(())
            .given_no_previous_events()
            .when(TeamCommand::Create(new_team(name)))
            .inspect_result();
        let Err(TeamError::Invalid(v)) = result else { panic!("{name:?} accepted") };
        assert_eq!(v.message(), "Name must not be blank");
        assert_eq!(v.attributes(), vec!["name"]);
    }
    let long = "x".repeat(256);
    let result = TeamTest::with(())
        .given_no_previous_events()
        .when(TeamCommand::Create(new_team(Some(&long))))
        .inspect_result();
    assert!(matches!(result, Err(TeamError::Invalid(_))));
}

#[test]
fn an_update_records_only_what_changed() {
    TeamTest::with(())
        .given(vec![created("sales")])
        .when(TeamCommand::Update(TeamPatch {
            name: Some("SALES".into()),
            description: Some(Some("EMEA".into())),
            allow_auto_assign: Some(true),
        }))
        .then_expect_events(vec![TeamEvent::TeamUpdated {
            name: None,
            description: Some(Some("EMEA".into())),
            allow_auto_assign: None,
        }]);
    TeamTest::with(())
        .given(vec![created("sales")])
        .when(TeamCommand::Update(TeamPatch { name: Some(" ".into()), ..TeamPatch::default() }))
        .then_expect_error(TeamError::Invalid(Violations::single("name", "Name must not be blank")));
}

#[test]
fn adding_members_records_only_the_new_ones_with_their_membership() {
    TeamTest::with(())
        .given(vec![created("sales"), TeamEvent::TeamMembersAdded { members: vec![member(1, 101)] }])
        .when(TeamCommand::AddMembers { user_ids: ids(&[1, 2, 2, 3]), account_members: account(3) })
        .then_expect_events(vec![TeamEvent::TeamMembersAdded {
            members: vec![member(2, 102), member(3, 103)],
        }]);
}

#[test]
fn a_user_outside_the_account_refuses_the_whole_change() {
    for command in [
        TeamCommand::AddMembers { user_ids: ids(&[1, 9]), account_members: account(3) },
        TeamCommand::ReplaceMembers { user_ids: ids(&[9]), account_members: account(3) },
        TeamCommand::RemoveMembers { user_ids: ids(&[1, 9]), account_members: account(3) },
    ] {
        TeamTest::with(())
            .given(vec![created("sales")])
            .when(command)
            .then_expect_error(TeamError::InvalidUsers);
    }
}

#[test]
fn replacing_members_removes_the_absent_and_adds_the_missing() {
    let given =
        vec![created("sales"), TeamEvent::TeamMembersAdded { members: vec![member(1, 101), member(2, 102)] }];
    TeamTest::with(())
        .given(given)
        .when(TeamCommand::ReplaceMembers { user_ids: ids(&[2, 3]), account_members: account(3) })
        .then_expect_events(vec![
            TeamEvent::TeamMembersRemoved { user_ids: ids(&[1]) },
            TeamEvent::TeamMembersAdded { members: vec![member(3, 103)] },
        ]);
}

#[test]
fn a_member_who_left_the_account_and_came_back_is_not_a_member_any_more() {
    // user 1 was added under membership 50; the account now knows them as 101
    let given = vec![created("sales"), TeamEvent::TeamMembersAdded { members: vec![member(1, 50)] }];
    TeamTest::with(())
        .given(given.clone())
        .when(TeamCommand::RemoveMembers { user_ids: ids(&[1]), account_members: account(1) })
        .then_expect_events(vec![]);
    TeamTest::with(())
        .given(given)
        .when(TeamCommand::AddMembers { user_ids: ids(&[1]), account_members: account(1) })
        .then_expect_events(vec![TeamEvent::TeamMembersAdded { members: vec![member(1, 101)] }]);
}

#[test]
fn a_deleted_team_accepts_nothing() {
    TeamTest::with(())
        .given(vec![created("sales"), TeamEvent::TeamDeleted])
        .when(TeamCommand::AddMembers { user_ids: ids(&[1]), account_members: account(1) })
        .then_expect_error(TeamError::NotFound);
    TeamTest::with(())
        .given(vec![created("sales"), TeamEvent::TeamDeleted])
        .when(TeamCommand::Delete)
        .then_expect_error(TeamError::NotFound);
}

#[test]
fn a_team_name_can_be_claimed_once_per_account_until_released() {
    let claimed = TeamNameClaimEvent::TeamNameClaimed { team_id: TeamId(1) };
    TestFramework::<TeamNameClaim>::with(())
        .given(vec![claimed.clone()])
        .when(TeamNameClaimCommand::Claim { team_id: TeamId(2) })
        .then_expect_error(TeamNameClaimError::Taken { owner: TeamId(1) });
    TestFramework::<TeamNameClaim>::with(())
        .given(vec![claimed.clone(), TeamNameClaimEvent::TeamNameReleased { team_id: TeamId(1) }])
        .when(TeamNameClaimCommand::Claim { team_id: TeamId(2) })
        .then_expect_events(vec![TeamNameClaimEvent::TeamNameClaimed { team_id: TeamId(2) }]);
    // only the owner releases
    TestFramework::<TeamNameClaim>::with(())
        .given(vec![claimed])
        .when(TeamNameClaimCommand::Release { team_id: TeamId(2) })
        .then_expect_events(vec![]);
    assert_ne!(name_claim_id(AccountId(1), "sales"), name_claim_id(AccountId(2), "sales"));
}

#[test]
fn a_cleared_description_survives_the_round_trip_through_json() {
    let event = TeamEvent::TeamUpdated { name: None, description: Some(None), allow_auto_assign: None };
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json, serde_json::json!({"type": "TeamUpdated", "data": {"description": null}}));
    assert_eq!(serde_json::from_value::<TeamEvent>(json).unwrap(), event);
}
