//! One aggregate shape for portals, categories and articles: a record of
//! fields in an account (and, below portals, a portal), created, patched
//! (a no-op patch records nothing) and deleted. Every command names the
//! caller's account and portal, so a record of another tenant or portal is
//! "not found" in the aggregate itself.

use crate::ids::AccountId;
use crate::unique_claim::ClaimedField;
use crate::validation::Violations;
use cqrs_es::event_sink::EventSink;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt::Debug;

/// The fields of one kind of help center record.
pub trait Record:
    Clone + Debug + Default + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static
{
    /// The aggregate type, and the prefix of its event types.
    const NAME: &'static str;
    /// A partial change (`None` = unchanged).
    type Patch: Clone + Debug + Send + Sync;
    fn patched(&self, patch: Self::Patch) -> Self;
    fn validate(&self) -> Result<(), Violations>;
    /// The unique values these fields hold: claim stream id and field.
    fn claims(&self, account_id: AccountId, portal_id: Option<i64>) -> Vec<(String, ClaimedField)>;
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Entry<R> {
    pub id: Option<i64>,
    pub account_id: Option<AccountId>,
    /// The portal a category or article belongs to (`None` for portals).
    pub portal_id: Option<i64>,
    pub deleted: bool,
    pub fields: R,
}

#[derive(Debug, Clone)]
pub enum EntryCommand<R: Record> {
    /// Applies `input` to [`Record::default`].
    Create {
        id: i64,
        account_id: AccountId,
        portal_id: Option<i64>,
        input: R::Patch,
    },
    Update {
        account_id: AccountId,
        portal_id: Option<i64>,
        patch: R::Patch,
    },
    Delete {
        account_id: AccountId,
        portal_id: Option<i64>,
    },
}

/// Stored with the record kind in the type (`PortalCreated`,
/// `ArticleUpdated`, …) so the log reads like every other stream's.
#[derive(Debug, Clone, PartialEq)]
pub enum EntryEvent<R> {
    Created {
        id: i64,
        account_id: AccountId,
        portal_id: Option<i64>,
        fields: R,
    },
    /// The record's fields after the change.
    Updated {
        fields: R,
    },
    Deleted,
}

#[derive(Serialize, Deserialize)]
struct CreatedData<R> {
    id: i64,
    account_id: AccountId,
    portal_id: Option<i64>,
    fields: R,
}

#[derive(Serialize, Deserialize)]
struct UpdatedData<R> {
    fields: R,
}

impl<R: Record> EntryEvent<R> {
    fn suffix(&self) -> &'static str {
        match self {
            EntryEvent::Created { .. } => "Created",
            EntryEvent::Updated { .. } => "Updated",
            EntryEvent::Deleted => "Deleted",
        }
    }
}

impl<R: Record> Serialize for EntryEvent<R> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let kind = format!("{}{}", R::NAME, self.suffix());
        let mut out = s.serialize_struct("EntryEvent", 2)?;
        out.serialize_field("type", &kind)?;
        match self {
            EntryEvent::Created { id, account_id, portal_id, fields } => out.serialize_field(
                "data",
                &CreatedData {
                    id: *id,
                    account_id: *account_id,
                    portal_id: *portal_id,
                    fields: fields.clone(),
                },
            )?,
            EntryEvent::Updated { fields } => {
                out.serialize_field("data", &UpdatedData { fields: fields.clone() })?
            }
            EntryEvent::Deleted => out.skip_field("data")?,
        }
        out.end()
    }
}

impl<'de, R: Record> Deserialize<'de> for EntryEvent<R> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        struct Tagged {
            #[serde(rename = "type")]
            kind: String,
            #[serde(default)]
            data: serde_json::Value,
        }
        let tagged = Tagged::deserialize(d)?;
        let suffix = tagged.kind.strip_prefix(R::NAME).unwrap_or_default();
        Ok(match suffix {
            "Created" => {
                let c: CreatedData<R> = serde_json::from_value(tagged.data).map_err(D::Error::custom)?;
                EntryEvent::Created {
                    id: c.id,
                    account_id: c.account_id,
                    portal_id: c.portal_id,
                    fields: c.fields,
                }
            }
            "Updated" => {
                let u: UpdatedData<R> = serde_json::from_value(tagged.data).map_err(D::Error::custom)?;
                EntryEvent::Updated { fields: u.fields }
            }
            "Deleted" => EntryEvent::Deleted,
            _ => return Err(D::Error::custom(format!("unknown {} event {}", R::NAME, tagged.kind))),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    AlreadyExists,
    #[error("{0}")]
    Invalid(Violations),
}

impl<R: Record> cqrs_es::DomainEvent for EntryEvent<R> {
    fn event_type(&self) -> String {
        format!("{}{}", R::NAME, self.suffix())
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl<R: Record> Entry<R> {
    /// Live, in `account_id` and under `portal_id`.
    fn owned(&self, account_id: AccountId, portal_id: Option<i64>) -> Result<(), EntryError> {
        if self.id.is_none()
            || self.deleted
            || self.account_id != Some(account_id)
            || self.portal_id != portal_id
        {
            return Err(EntryError::NotFound);
        }
        Ok(())
    }

    fn decide(&self, command: EntryCommand<R>) -> Result<Vec<EntryEvent<R>>, EntryError> {
        Ok(match command {
            EntryCommand::Create { id, account_id, portal_id, input } => {
                if self.id.is_some() {
                    return Err(EntryError::AlreadyExists);
                }
                let fields = R::default().patched(input);
                fields.validate().map_err(EntryError::Invalid)?;
                vec![EntryEvent::Created { id, account_id, portal_id, fields }]
            }
            EntryCommand::Update { account_id, portal_id, patch } => {
                self.owned(account_id, portal_id)?;
                let fields = self.fields.patched(patch);
                fields.validate().map_err(EntryError::Invalid)?;
                if fields == self.fields {
                    vec![]
                } else {
                    vec![EntryEvent::Updated { fields }]
                }
            }
            EntryCommand::Delete { account_id, portal_id } => {
                self.owned(account_id, portal_id)?;
                vec![EntryEvent::Deleted]
            }
        })
    }
}

impl<R: Record> cqrs_es::Aggregate for Entry<R> {
    const TYPE: &'static str = R::NAME;
    type Command = EntryCommand<R>;
    type Event = EntryEvent<R>;
    type Error = EntryError;
    type Services = ();

    async fn handle(
        &mut self,
        command: EntryCommand<R>,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), EntryError> {
        for event in self.decide(command)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: EntryEvent<R>) {
        match event {
            EntryEvent::Created { id, account_id, portal_id, fields } => {
                self.id = Some(id);
                self.account_id = Some(account_id);
                self.portal_id = portal_id;
                self.fields = fields;
            }
            EntryEvent::Updated { fields } => self.fields = fields,
            EntryEvent::Deleted => self.deleted = true,
        }
    }
}
