use super::*;
use crate::ids::AccountId;
use cqrs_es::test::TestFramework;

fn portal_input(slug: &str) -> PortalPatch {
    PortalPatch { name: Some("Docs".into()), slug: Some(slug.into()), ..PortalPatch::default() }
}

#[test]
fn a_portal_is_created_with_the_default_locale_and_validated() {
    let fields = PortalFields::default().patched(portal_input("docs"));
    TestFramework::<Portal>::with(())
        .given_no_previous_events()
        .when(EntryCommand::Create {
            id: 1,
            account_id: AccountId(7),
            portal_id: None,
            input: portal_input("docs"),
        })
        .then_expect_events(vec![EntryEvent::Created {
            id: 1,
            account_id: AccountId(7),
            portal_id: None,
            fields,
        }]);
    for slug in ["", "Docs", "a b", "-x", "x--y", "ü"] {
        let result = TestFramework::<Portal>::with(())
            .given_no_previous_events()
            .when(EntryCommand::Create {
                id: 1,
                account_id: AccountId(7),
                portal_id: None,
                input: portal_input(slug),
            })
            .inspect_result();
        assert!(matches!(result, Err(EntryError::Invalid(_))), "{slug:?}");
    }
    let wrong_default = PortalPatch { default_locale: Some("fr".into()), ..portal_input("docs") };
    let result = TestFramework::<Portal>::with(())
        .given_no_previous_events()
        .when(EntryCommand::Create { id: 1, account_id: AccountId(7), portal_id: None, input: wrong_default })
        .inspect_result();
    assert!(matches!(result, Err(EntryError::Invalid(_))));
}

#[test]
fn records_of_another_account_or_portal_are_not_found_and_no_op_patches_record_nothing() {
    let fields = CategoryFields {
        name: "Billing".into(),
        slug: "billing".into(),
        locale: "en".into(),
        ..Default::default()
    };
    let created = EntryEvent::Created { id: 3, account_id: AccountId(7), portal_id: Some(1), fields };
    for (account, portal) in [(8, Some(1)), (7, Some(2)), (7, None)] {
        TestFramework::<Category>::with(())
            .given(vec![created.clone()])
            .when(EntryCommand::Delete { account_id: AccountId(account), portal_id: portal })
            .then_expect_error(EntryError::NotFound);
    }
    TestFramework::<Category>::with(())
        .given(vec![created.clone()])
        .when(EntryCommand::Update {
            account_id: AccountId(7),
            portal_id: Some(1),
            patch: CategoryPatch { name: Some(" Billing ".into()), ..Default::default() },
        })
        .then_expect_events(vec![]);
    TestFramework::<Category>::with(())
        .given(vec![created, EntryEvent::Deleted])
        .when(EntryCommand::Delete { account_id: AccountId(7), portal_id: Some(1) })
        .then_expect_error(EntryError::NotFound);
}

#[test]
fn articles_need_a_title_content_author_and_an_object_meta() {
    let input = ArticlePatch { slug: Some("x".into()), locale: Some("en".into()), ..Default::default() };
    let Err(EntryError::Invalid(v)) = TestFramework::<Article>::with(())
        .given_no_previous_events()
        .when(EntryCommand::Create { id: 1, account_id: AccountId(7), portal_id: Some(1), input })
        .inspect_result()
    else {
        panic!("expected a validation error");
    };
    assert_eq!(v.message(), "Title can't be blank, Content can't be blank, Author must exist");
    let meta = ArticlePatch { meta: Some(serde_json::json!([1])), ..Default::default() };
    let fields = ArticleFields::default().patched(meta);
    assert!(fields.validate().unwrap_err().message().contains("Meta must be an object"));
}

#[test]
fn slugs_locales_and_parameterize() {
    assert!(is_slug("getting-started-2") && !is_slug("Getting") && !is_slug("a_b"));
    assert!(
        is_locale("en") && is_locale("pt_BR") && is_locale("sr_Latn") && !is_locale("EN") && !is_locale("e")
    );
    assert_eq!(parameterize("  Hello, World! Ünïcode 2 "), "hello-world-n-code-2");
    assert_eq!(parameterize("!!!"), "");
}

#[test]
fn events_are_stored_with_the_record_kind_in_their_type() {
    let event: EntryEvent<PortalFields> = EntryEvent::Updated { fields: PortalFields::default() };
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json["type"], "PortalUpdated");
    assert_eq!(serde_json::from_value::<EntryEvent<PortalFields>>(json).unwrap(), event);
    let deleted = serde_json::to_value(EntryEvent::<ArticleFields>::Deleted).unwrap();
    assert_eq!(deleted, serde_json::json!({"type": "ArticleDeleted"}));
    assert_eq!(serde_json::from_value::<EntryEvent<ArticleFields>>(deleted).unwrap(), EntryEvent::Deleted);
    assert!(serde_json::from_value::<EntryEvent<ArticleFields>>(
        serde_json::json!({"type": "PortalDeleted"})
    )
    .is_err());
}
