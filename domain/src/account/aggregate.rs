use super::catalog::{default_features, is_known_feature, is_known_locale};
use super::command::{AccountCommand, AccountPatch, MemberSettings, NewAccount};
use super::event::{AccountEvent, AccountFields};
use super::{AccountError, AccountStatus, Availability, Role};
use crate::ids::{AccountId, AccountUserId, UserId};
use crate::validation::{Violations, STRING_MAX};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Keys the upstream accepts in `limits`.
const LIMIT_KEYS: &[&str] = &["inboxes", "agents", "captain_responses", "captain_documents"];
const DOMAIN_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub account_user_id: AccountUserId,
    pub role: Role,
    #[serde(default)]
    pub availability: Availability,
    #[serde(default = "yes")]
    pub auto_offline: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: Option<AccountId>,
    pub deleted: bool,
    pub fields: AccountFields,
    pub members: BTreeMap<UserId, Membership>,
}

impl Account {
    fn live(&self) -> Result<(), AccountError> {
        if self.id.is_none() || self.deleted {
            return Err(AccountError::NotFound);
        }
        Ok(())
    }

    fn create(&self, new: NewAccount) -> Result<Vec<AccountEvent>, AccountError> {
        if self.id.is_some() {
            return Err(AccountError::AlreadyExists);
        }
        let mut v = Violations::new();
        v.require_present("name", "Name", new.name.as_deref());
        validate_profile(
            &mut v,
            new.name.as_deref(),
            new.locale.as_deref(),
            new.domain.as_deref(),
            new.support_email.as_deref(),
        );
        let status = parse_status(&mut v, new.status.as_deref());
        if let Some(limits) = &new.limits {
            validate_limits(&mut v, limits);
        }
        validate_features(&mut v, &new.features);
        v.into_result().map_err(AccountError::Invalid)?;

        let mut features = default_features();
        features.extend(new.features);
        Ok(vec![AccountEvent::AccountCreated {
            id: new.id,
            fields: AccountFields {
                name: new.name.unwrap_or_default().trim().to_owned(),
                locale: new.locale.unwrap_or_else(|| "en".to_owned()),
                domain: new.domain.filter(|d| !d.is_empty()),
                support_email: new.support_email.filter(|e| !e.is_empty()),
                status: status.unwrap_or_default(),
                limits: new.limits.unwrap_or_default(),
                custom_attributes: new.custom_attributes.unwrap_or_default(),
                features,
            },
        }])
    }

    fn update(&self, patch: AccountPatch) -> Result<Vec<AccountEvent>, AccountError> {
        self.live()?;
        let mut v = Violations::new();
        if let Some(name) = &patch.name {
            v.require_present("name", "Name", Some(name));
        }
        validate_profile(
            &mut v,
            patch.name.as_deref(),
            patch.locale.as_deref(),
            patch.domain.as_ref().and_then(|d| d.as_deref()),
            patch.support_email.as_ref().and_then(|e| e.as_deref()),
        );
        let status = parse_status(&mut v, patch.status.as_deref());
        if let Some(limits) = &patch.limits {
            validate_limits(&mut v, limits);
        }
        validate_features(&mut v, &patch.features);
        v.into_result().map_err(AccountError::Invalid)?;

        let current = &self.fields;
        let changed = |new: Option<String>, old: &str| new.map(|n| n.trim().to_owned()).filter(|n| n != old);
        let name = changed(patch.name, &current.name);
        let locale = patch.locale.filter(|l| *l != current.locale);
        let normalize = |o: Option<String>| o.filter(|s| !s.is_empty());
        let domain = patch.domain.map(normalize).filter(|d| *d != current.domain);
        let support_email = patch.support_email.map(normalize).filter(|e| *e != current.support_email);
        let status = status.filter(|s| *s != current.status);
        let limits = patch.limits.filter(|l| *l != current.limits);
        let custom_attributes = patch.custom_attributes.filter(|c| *c != current.custom_attributes);
        let features: BTreeMap<String, bool> = patch
            .features
            .into_iter()
            .filter(|(k, on)| current.features.get(k).copied().unwrap_or(false) != *on)
            .collect();

        let nothing_changed = name.is_none()
            && locale.is_none()
            && domain.is_none()
            && support_email.is_none()
            && status.is_none()
            && limits.is_none()
            && custom_attributes.is_none()
            && features.is_empty();
        if nothing_changed {
            return Ok(vec![]);
        }
        Ok(vec![AccountEvent::AccountUpdated {
            name,
            locale,
            domain,
            support_email,
            status,
            limits,
            custom_attributes,
            features,
        }])
    }

    fn upsert_member(
        &self,
        account_user_id: AccountUserId,
        user_id: UserId,
        role: Role,
        inviter_id: Option<UserId>,
        settings: MemberSettings,
    ) -> Result<Vec<AccountEvent>, AccountError> {
        self.live()?;
        Ok(match self.members.get(&user_id) {
            Some(m) if m.role == role => vec![],
            Some(_) => vec![AccountEvent::AccountUserRoleChanged { user_id, role }],
            None => vec![AccountEvent::AccountUserAdded {
                account_user_id,
                user_id,
                role,
                inviter_id,
                availability: settings.availability,
                auto_offline: settings.auto_offline,
            }],
        })
    }

    fn update_member(
        &self,
        user_id: UserId,
        role: Option<Role>,
        availability: Option<Availability>,
        auto_offline: Option<bool>,
    ) -> Result<Vec<AccountEvent>, AccountError> {
        self.live()?;
        let member = self.members.get(&user_id).ok_or(AccountError::NotAMember)?;
        let mut events = Vec::new();
        if let Some(role) = role.filter(|r| *r != member.role) {
            events.push(AccountEvent::AccountUserRoleChanged { user_id, role });
        }
        let availability = availability.filter(|a| *a != member.availability);
        let auto_offline = auto_offline.filter(|a| *a != member.auto_offline);
        if availability.is_some() || auto_offline.is_some() {
            events.push(AccountEvent::AccountUserSettingsChanged { user_id, availability, auto_offline });
        }
        Ok(events)
    }

    /// The membership of `user_id`, if any.
    pub fn member(&self, user_id: UserId) -> Option<&Membership> {
        self.members.get(&user_id)
    }
}

fn validate_profile(
    v: &mut Violations,
    name: Option<&str>,
    locale: Option<&str>,
    domain: Option<&str>,
    support_email: Option<&str>,
) {
    v.max_len("name", "Name", name, STRING_MAX);
    if let Some(locale) = locale {
        if !is_known_locale(locale) {
            v.add("locale", "Locale is not included in the list");
        }
    }
    v.max_len("domain", "Domain", domain, DOMAIN_MAX);
    v.max_len("support_email", "Support email", support_email, DOMAIN_MAX);
}

fn parse_status(v: &mut Violations, status: Option<&str>) -> Option<AccountStatus> {
    let raw = status?;
    let parsed = AccountStatus::parse(raw);
    if parsed.is_none() {
        v.add("status", "Status is not included in the list");
    }
    parsed
}

fn validate_limits(v: &mut Violations, limits: &Map<String, Value>) {
    let valid = limits.iter().all(|(k, val)| LIMIT_KEYS.contains(&k.as_str()) && val.is_number());
    if !valid {
        v.add("limits", "Limits : Invalid data");
    }
}

fn validate_features(v: &mut Violations, features: &BTreeMap<String, bool>) {
    for name in features.keys() {
        if !is_known_feature(name) {
            v.add("features", format!("Features {name} is not a known feature"));
        }
    }
}

impl cqrs_es::Aggregate for Account {
    const TYPE: &'static str = "Account";
    type Command = AccountCommand;
    type Event = AccountEvent;
    type Error = AccountError;
    type Services = ();

    async fn handle(
        &mut self,
        command: AccountCommand,
        _services: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), AccountError> {
        let events = match command {
            AccountCommand::Create(new) => self.create(new)?,
            AccountCommand::Update(patch) => self.update(patch)?,
            AccountCommand::Delete => {
                self.live()?;
                vec![AccountEvent::AccountDeleted]
            }
            AccountCommand::UpsertMember { account_user_id, user_id, role, inviter_id, settings } => {
                self.upsert_member(account_user_id, user_id, role, inviter_id, settings)?
            }
            AccountCommand::UpdateMember { user_id, role, availability, auto_offline } => {
                self.update_member(user_id, role, availability, auto_offline)?
            }
            AccountCommand::RemoveMember { user_id } => {
                self.live()?;
                if self.members.contains_key(&user_id) {
                    vec![AccountEvent::AccountUserRemoved { user_id }]
                } else {
                    vec![]
                }
            }
        };
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: AccountEvent) {
        match event {
            AccountEvent::AccountCreated { id, fields } => {
                self.id = Some(id);
                self.fields = fields;
            }
            AccountEvent::AccountUpdated {
                name,
                locale,
                domain,
                support_email,
                status,
                limits,
                custom_attributes,
                features,
            } => {
                let f = &mut self.fields;
                if let Some(n) = name {
                    f.name = n;
                }
                if let Some(l) = locale {
                    f.locale = l;
                }
                if let Some(d) = domain {
                    f.domain = d;
                }
                if let Some(e) = support_email {
                    f.support_email = e;
                }
                if let Some(s) = status {
                    f.status = s;
                }
                if let Some(l) = limits {
                    f.limits = l;
                }
                if let Some(c) = custom_attributes {
                    f.custom_attributes = c;
                }
                f.features.extend(features);
            }
            AccountEvent::AccountDeleted => self.deleted = true,
            AccountEvent::AccountUserAdded {
                account_user_id,
                user_id,
                role,
                availability,
                auto_offline,
                ..
            } => {
                self.members
                    .insert(user_id, Membership { account_user_id, role, availability, auto_offline });
            }
            AccountEvent::AccountUserSettingsChanged { user_id, availability, auto_offline } => {
                if let Some(m) = self.members.get_mut(&user_id) {
                    if let Some(a) = availability {
                        m.availability = a;
                    }
                    if let Some(a) = auto_offline {
                        m.auto_offline = a;
                    }
                }
            }
            AccountEvent::AccountUserRoleChanged { user_id, role } => {
                if let Some(m) = self.members.get_mut(&user_id) {
                    m.role = role;
                }
            }
            AccountEvent::AccountUserRemoved { user_id } => {
                self.members.remove(&user_id);
            }
        }
    }
}
