//! The user's lists, as the server has them (the Inbox first). Loaded when the page opens,
//! after a list is made or deleted, and by live sync (so another tab's new order shows;
//! conditionally, with the lists' `ETag`, so an unchanged poll costs no body); a
//! list's count of open todos is worked out from the todos the page already holds, so it
//! follows every change at once. Moving a list shows at once, then writes the `order`
//! numbers that changed ([`crate::reorder`]).

use leptos::prelude::*;

use crate::{
    reorder::{move_item, renumber},
    todo_views::in_list,
    ui::{
        api::{self, ApiFailure},
        auth::session::Auth,
        offline,
        owned_task::spawn_while,
    },
    wire::{ListPatch, Todo, TodoList},
};

#[derive(Clone, Copy)]
pub struct ListsState {
    auth: Auth,
    pub lists: RwSignal<Vec<TodoList>>,
    pub error: RwSignal<Option<String>>,
    /// Order writes under way: a reload meanwhile would show a half-written order.
    writing: StoredValue<u32>,
    /// The `ETag` of the lists shown, for the conditional polls of live sync (`304` while
    /// nothing changed costs no body).
    etag: StoredValue<Option<String>>,
}

impl ListsState {
    pub fn new(auth: Auth) -> Self {
        Self {
            auth,
            lists: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            writing: StoredValue::new(0),
            etag: StoredValue::new(None),
        }
    }

    /// Opens the lists: those kept on this device for the user first (at once, and
    /// offline), then the server's.
    pub fn open(self) {
        let Some(user) = self.auth.user_key() else {
            return self.reload();
        };
        spawn_while(self.lists, async move {
            if let Some(kept) = offline::load(&user, offline::LISTS).await
                && self.lists.with_untracked(Vec::is_empty)
            {
                let (tag, json) = offline::split_tagged(&kept);
                if let Ok(lists) = serde_json::from_str(json) {
                    self.lists.set(lists);
                    // Asked with the kept lists' tag: unchanged, a 304.
                    self.etag.set_value(tag);
                    return self.refresh();
                }
            }
            self.reload();
        });
    }

    /// Fetches the lists again, whatever was shown (after the page's own writes, which
    /// may have shown what the server does not have).
    pub fn reload(self) {
        self.etag.set_value(None);
        self.refresh();
    }

    /// Live sync: asks whether the lists changed (`If-None-Match`) and takes the new ones
    /// if so.
    pub fn refresh(self) {
        spawn_while(self.lists, async move {
            match api::list_lists_if_changed(self.auth, self.etag.get_value()).await {
                // Unchanged: nothing to set, nothing re-renders.
                Ok(None) => {}
                // Not shown (an order write is under way), so its tag is not kept either:
                // the next poll fetches the lists again.
                Ok(Some(_)) if self.writing.get_value() > 0 => {}
                Ok(Some(fetched)) => {
                    if let Some(user) = self.auth.user_key() {
                        let tag = fetched.etag.as_deref();
                        offline::save_tagged(user, offline::LISTS, tag, &fetched.json);
                    }
                    self.etag.set_value(fetched.etag);
                    if self.lists.with_untracked(|l| *l != fetched.value) {
                        self.lists.set(fetched.value);
                    }
                }
                Err(ApiFailure::SignedOut) => {}
                // Offline: the lists kept on this device stay (the todo list says so).
                Err(ApiFailure::Network(_)) if self.lists.with_untracked(|l| !l.is_empty()) => {}
                Err(e) => self.error.set(Some(e.to_string())),
            }
        });
    }

    /// The name of the list a todo is in.
    pub fn name_of(&self, todo: &Todo) -> Option<String> {
        self.lists.with(|lists| {
            lists
                .iter()
                .find(|l| in_list(todo, &l.id, l.inbox))
                .map(|l| l.name.clone())
        })
    }

    /// The list called `name` (any case).
    pub fn named(&self, name: &str) -> Option<TodoList> {
        let wanted = name.to_lowercase();
        self.lists.with(|lists| {
            lists
                .iter()
                .find(|l| l.name.to_lowercase() == wanted)
                .cloned()
        })
    }

    /// Makes a list and shows it in the sidebar; its id for what comes next.
    pub async fn create(self, name: &str) -> Result<TodoList, ApiFailure> {
        let list = api::create_list(self.auth, name).await?;
        self.lists.update(|lists| lists.push(list.clone()));
        Ok(list)
    }

    /// Deletes a list, moving its todos to the Inbox or (`with_todos`) deleting them too;
    /// the ids of the todos deleted (restorable, like any deleted todo).
    pub async fn delete(self, id: &str, with_todos: bool) -> Result<Vec<String>, ApiFailure> {
        let done = api::delete_list(self.auth, id, with_todos).await?;
        self.lists.update(|lists| lists.retain(|l| l.id != id));
        Ok(done.deleted)
    }

    /// The user's lists after the Inbox (the ones that can move), in their order.
    pub fn movable(&self) -> Vec<TodoList> {
        self.lists
            .with(|l| l.iter().filter(|l| !l.inbox).cloned().collect())
    }

    /// Moves the list at `from` to `to` (places after the Inbox): shown at once, then the
    /// `order` of each list whose number must change is sent; a refusal says why and shows
    /// the lists as the server has them.
    pub fn reorder(self, from: usize, to: usize) {
        let mut mine = self
            .lists
            .with_untracked(|l| l.iter().filter(|l| !l.inbox).cloned().collect::<Vec<_>>());
        if from == to || from >= mine.len() || to >= mine.len() {
            return;
        }
        move_item(&mut mine, from, to);
        let orders: Vec<i64> = mine.iter().map(|l| l.order).collect();
        let writes: Vec<(String, i64)> = renumber(&orders, to)
            .into_iter()
            .map(|(i, order)| {
                mine[i].order = order;
                (mine[i].id.clone(), order)
            })
            .collect();
        self.lists.update(|lists| {
            lists.retain(|l| l.inbox);
            lists.extend(mine);
        });
        self.writing.update_value(|n| *n += 1);
        spawn_while(self.lists, async move {
            for (id, order) in writes {
                let patch = ListPatch {
                    order: Some(order),
                    ..ListPatch::default()
                };
                if let Err(e) = api::update_list(self.auth, &id, &patch).await {
                    self.error.set(Some(e.to_string()));
                    break;
                }
            }
            self.writing.update_value(|n| *n -= 1);
            self.reload();
        });
    }
}
