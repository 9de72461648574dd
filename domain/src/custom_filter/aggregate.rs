//! The custom filter aggregate: a name and a query object, owned by one
//! user of one account.

use super::{
    CustomFilterCommand, CustomFilterError, CustomFilterEvent, CustomFilterPatch, FilterType,
    NewCustomFilter, Owner, MAX_QUERY_BYTES,
};
use crate::ids::{AccountId, CustomFilterId, UserId};
use crate::validation::{json_has_nul, Violations, STRING_MAX};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomFilter {
    pub id: Option<CustomFilterId>,
    pub account_id: Option<AccountId>,
    pub user_id: Option<UserId>,
    pub deleted: bool,
    pub name: String,
    pub filter_type: FilterType,
    pub query: Map<String, Value>,
}

fn name_rules(v: &mut Violations, name: &str) {
    v.require_present("name", "Name", Some(name));
    v.max_len("name", "Name", Some(name), STRING_MAX);
    v.no_nul("name", "Name", Some(name));
}

fn query_rules(v: &mut Violations, query: &Map<String, Value>) {
    let value = Value::Object(query.clone());
    if json_has_nul(&value) {
        v.add("query", "Query is invalid");
    } else if value.to_string().len() > MAX_QUERY_BYTES {
        v.add("query", format!("Query is too long (maximum is {MAX_QUERY_BYTES} bytes)"));
    }
}

impl CustomFilter {
    fn owned(&self, owner: Owner) -> Result<(), CustomFilterError> {
        let mine = self.account_id == Some(owner.account_id) && self.user_id == Some(owner.user_id);
        if self.id.is_none() || self.deleted || !mine {
            return Err(CustomFilterError::NotFound);
        }
        Ok(())
    }

    fn create(&self, new: NewCustomFilter) -> Result<Vec<CustomFilterEvent>, CustomFilterError> {
        if self.id.is_some() {
            return Err(CustomFilterError::AlreadyExists);
        }
        let name = new.name.unwrap_or_default().trim().to_owned();
        let mut v = Violations::new();
        name_rules(&mut v, &name);
        match &new.query {
            Some(query) => query_rules(&mut v, query),
            None => v.add("query", "Query can't be blank"),
        }
        v.into_result().map_err(CustomFilterError::Invalid)?;
        let query = new.query.unwrap_or_default();
        Ok(vec![CustomFilterEvent::CustomFilterCreated {
            id: new.id,
            account_id: new.account_id,
            user_id: new.user_id,
            name,
            filter_type: new.filter_type.unwrap_or_default(),
            query,
        }])
    }

    fn update(
        &self,
        owner: Owner,
        patch: CustomFilterPatch,
    ) -> Result<Vec<CustomFilterEvent>, CustomFilterError> {
        self.owned(owner)?;
        let name = patch.name.map(|n| n.trim().to_owned());
        let mut v = Violations::new();
        if let Some(name) = &name {
            name_rules(&mut v, name);
        }
        if let Some(query) = &patch.query {
            query_rules(&mut v, query);
        }
        v.into_result().map_err(CustomFilterError::Invalid)?;
        let name = name.filter(|n| *n != self.name);
        let filter_type = patch.filter_type.filter(|t| *t != self.filter_type);
        let query = patch.query.filter(|q| *q != self.query);
        if name.is_none() && filter_type.is_none() && query.is_none() {
            return Ok(vec![]);
        }
        Ok(vec![CustomFilterEvent::CustomFilterUpdated { name, filter_type, query }])
    }
}

impl cqrs_es::Aggregate for CustomFilter {
    const TYPE: &'static str = "CustomFilter";
    type Command = CustomFilterCommand;
    type Event = CustomFilterEvent;
    type Error = CustomFilterError;
    type Services = ();

    async fn handle(
        &mut self,
        command: CustomFilterCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), CustomFilterError> {
        let events = match command {
            CustomFilterCommand::Create(new) => self.create(new)?,
            CustomFilterCommand::Update { owner, patch } => self.update(owner, patch)?,
            CustomFilterCommand::Delete { owner } => {
                self.owned(owner)?;
                vec![CustomFilterEvent::CustomFilterDeleted]
            }
        };
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: CustomFilterEvent) {
        match event {
            CustomFilterEvent::CustomFilterCreated { id, account_id, user_id, name, filter_type, query } => {
                self.id = Some(id);
                self.account_id = Some(account_id);
                self.user_id = Some(user_id);
                self.name = name;
                self.filter_type = filter_type;
                self.query = query;
            }
            CustomFilterEvent::CustomFilterUpdated { name, filter_type, query } => {
                if let Some(n) = name {
                    self.name = n;
                }
                if let Some(t) = filter_type {
                    self.filter_type = t;
                }
                if let Some(q) = query {
                    self.query = q;
                }
            }
            CustomFilterEvent::CustomFilterDeleted => self.deleted = true,
        }
    }
}
