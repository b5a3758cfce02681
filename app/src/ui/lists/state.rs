//! The user's lists, as the server has them (the Inbox first). Loaded when the page opens
//! and after a list is made or deleted; a list's count of open todos is worked out from the
//! todos the page already holds, so it follows every change at once.

use leptos::{prelude::*, task::spawn_local};

use crate::{
    todo_views::in_list,
    ui::{
        api::{self, ApiFailure},
        auth::session::Auth,
    },
    wire::{Todo, TodoList},
};

#[derive(Clone, Copy)]
pub struct ListsState {
    auth: Auth,
    pub lists: RwSignal<Vec<TodoList>>,
    pub error: RwSignal<Option<String>>,
}

impl ListsState {
    pub fn new(auth: Auth) -> Self {
        Self {
            auth,
            lists: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
        }
    }

    pub fn reload(self) {
        spawn_local(async move {
            match api::list_lists(self.auth).await {
                Ok(lists) => self.lists.set(lists),
                Err(ApiFailure::SignedOut) => {}
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
}
