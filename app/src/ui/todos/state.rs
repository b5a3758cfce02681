//! The todo list as the page sees it, and every mutation of it. Each mutation goes to the
//! server first and the list takes the server's answer, so what is shown is what is stored.

use leptos::{prelude::*, task::spawn_local};

use crate::ui::{
    api::{self, ApiFailure},
    auth::session::Auth,
};
use crate::wire::{NewTodo, Todo, TodoPatch};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    All,
    Active,
    Completed,
}

impl Filter {
    pub fn from_route(route: &str) -> Self {
        match route {
            "active" => Self::Active,
            "completed" => Self::Completed,
            _ => Self::All,
        }
    }

    pub fn admits(self, todo: &Todo) -> bool {
        match self {
            Self::All => true,
            Self::Active => !todo.completed,
            Self::Completed => todo.completed,
        }
    }
}

#[derive(Clone, Copy)]
pub struct TodoState {
    auth: Auth,
    pub todos: RwSignal<Vec<Todo>>,
    /// True until the first load answers (and during reloads).
    pub loading: RwSignal<bool>,
    /// The last failure, shown until dismissed or until the next success.
    pub error: RwSignal<Option<String>>,
    /// Requests in flight, for a busy indicator.
    pub pending: RwSignal<u32>,
    /// Bumped when the assistant changed todos: views of more than the list (a todo's
    /// files) fetch again.
    pub files_revision: RwSignal<u64>,
}

impl TodoState {
    pub fn new(auth: Auth) -> Self {
        Self {
            auth,
            todos: RwSignal::new(Vec::new()),
            loading: RwSignal::new(true),
            error: RwSignal::new(None),
            pending: RwSignal::new(0),
            files_revision: RwSignal::new(0),
        }
    }

    pub fn find(&self, id: &str) -> Option<Todo> {
        self.todos
            .with(|list| list.iter().find(|t| t.id == id).cloned())
    }

    fn fail(&self, failure: ApiFailure) {
        match failure {
            ApiFailure::SignedOut => {}
            ApiFailure::Conflict(message) => {
                self.error
                    .set(Some(format!("{message} The list has been reloaded.")));
                self.reload();
            }
            other => self.error.set(Some(other.to_string())),
        }
    }

    /// Runs `work` with the pending counter held, reporting failures.
    fn run<F>(self, work: F)
    where
        F: std::future::Future<Output = Result<(), ApiFailure>> + 'static,
    {
        self.pending.update(|n| *n += 1);
        spawn_local(async move {
            let result = work.await;
            self.pending.update(|n| *n -= 1);
            if let Err(failure) = result {
                self.fail(failure);
            }
        });
    }

    /// The assistant changed todos (and maybe their files): fetch both again.
    pub fn changed_elsewhere(self) {
        self.files_revision.update(|r| *r += 1);
        self.reload();
    }

    pub fn reload(self) {
        self.loading.set(true);
        spawn_local(async move {
            match api::list_todos(self.auth).await {
                Ok(todos) => self.todos.set(todos),
                Err(failure) => self.fail(failure),
            }
            self.loading.set(false);
        });
    }

    fn replace(&self, todo: Todo) {
        self.todos.update(|list| {
            if let Some(slot) = list.iter_mut().find(|t| t.id == todo.id) {
                *slot = todo;
            }
        });
    }

    pub fn create(self, input: NewTodo) {
        self.run(async move {
            let todo = api::create_todo(self.auth, &input).await?;
            self.todos.update(|list| list.push(todo));
            self.error.set(None);
            Ok(())
        });
    }

    /// Applies `patch` to the item as currently shown (its version is filled in).
    pub fn update(self, id: String, patch: TodoPatch) {
        let Some(current) = self.find(&id) else {
            return;
        };
        self.update_seen(id, current.version, patch);
    }

    /// Applies `patch` only if the item is still at `seen_version`, the version the user's
    /// edit started from; otherwise the server answers 409 and nothing is overwritten.
    pub fn update_seen(self, id: String, seen_version: u64, mut patch: TodoPatch) {
        patch.version = seen_version;
        self.run(async move {
            let todo = api::update_todo(self.auth, &id, &patch).await?;
            self.replace(todo);
            self.error.set(None);
            Ok(())
        });
    }

    pub fn set_completed(self, id: String, completed: bool) {
        self.update(
            id,
            TodoPatch {
                completed: Some(completed),
                ..Default::default()
            },
        );
    }

    pub fn delete(self, id: String) {
        let Some(current) = self.find(&id) else {
            return;
        };
        self.run(async move {
            api::delete_todo(self.auth, &id, current.version).await?;
            self.todos.update(|list| list.retain(|t| t.id != id));
            self.error.set(None);
            Ok(())
        });
    }

    pub fn set_all_completed(self, completed: bool) {
        let ids: Vec<String> = self.todos.with_untracked(|list| {
            list.iter()
                .filter(|t| t.completed != completed)
                .map(|t| t.id.clone())
                .collect()
        });
        for id in ids {
            self.set_completed(id, completed);
        }
    }

    pub fn clear_completed(self) {
        let ids: Vec<String> = self.todos.with_untracked(|list| {
            list.iter()
                .filter(|t| t.completed)
                .map(|t| t.id.clone())
                .collect()
        });
        for id in ids {
            self.delete(id);
        }
    }
}
