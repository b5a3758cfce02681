//! Drives the LocalAgent directly against a real embedded store, with a fixed "today", and
//! collects what it streamed.

use std::sync::Arc;

use app::wire::chat::ChatEvent;
use jiff::civil::{Date, date};
use server::{
    agent::{Agent, EventSink, TurnContext, TurnInput, local::LocalAgent},
    domain::{self, AgentMemory, FileRecord, Todo, TodoId, UserId},
    files::{
        Files,
        blob::{LocalBlobStore, put_bytes},
    },
    store::{Store, embedded::EmbeddedStore},
};

/// Wednesday, 25 November 2026.
pub const TODAY: Date = date(2026, 11, 25);

pub struct Reply {
    pub text: String,
    pub events: Vec<ChatEvent>,
}

impl Reply {
    pub fn confirm_id(&self) -> Option<String> {
        self.events.iter().find_map(|e| match e {
            ChatEvent::Confirm { action_id, .. } => Some(action_id.clone()),
            _ => None,
        })
    }

    pub fn tools(&self) -> Vec<String> {
        self.events
            .iter()
            .filter_map(|e| match e {
                ChatEvent::Tool {
                    name,
                    status: app::wire::chat::ToolStatus::Started,
                    ..
                } => Some(name.clone()),
                _ => None,
            })
            .collect()
    }
}

pub struct Harness {
    pub store: Arc<dyn Store>,
    pub files: Arc<Files>,
    /// Files sent with the next message (then cleared).
    pub attachments: Vec<FileRecord>,
    agent: LocalAgent,
    pub user: UserId,
    pub memory: AgentMemory,
    pub today: Date,
    _dir: tempfile::TempDir,
}

impl Harness {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
        let blobs = Arc::new(LocalBlobStore::open(dir.path()).unwrap());
        Self {
            files: Arc::new(Files::new(
                store.clone(),
                blobs,
                1024 * 1024,
                Arc::new(server::domain::SystemClock),
            )),
            attachments: vec![],
            store,
            agent: LocalAgent::new(std::time::Duration::ZERO),
            user: UserId::from_verified_sub("agent-user"),
            memory: AgentMemory::default(),
            today: TODAY,
            _dir: dir,
        }
    }

    /// Uploads a file for `owner` (setup, not under test): its blob and its record, as a
    /// completed upload leaves them; attached to `todo` if given.
    pub async fn upload_for(&self, owner: &UserId, name: &str, todo: Option<TodoId>) -> FileRecord {
        let bytes = format!("contents of {name}").into_bytes();
        let file = FileRecord {
            owner: owner.clone(),
            id: domain::FileId::new(),
            todo_id: todo,
            name: name.into(),
            size: bytes.len() as u64,
            content_type: "application/pdf".into(),
            created_at: system_now(),
            uploaded: true,
        };
        put_bytes(self.files.blobs(), &file.blob_key(), bytes)
            .await
            .unwrap();
        self.store.create_file(&file).await.unwrap();
        file
    }

    pub async fn upload(&self, name: &str, todo: Option<TodoId>) -> FileRecord {
        self.upload_for(&self.user, name, todo).await
    }

    /// The names of the files attached to `todo`.
    pub async fn file_names(&self, todo: TodoId) -> Vec<String> {
        let mut files = self.store.list_todo_files(&self.user, todo).await.unwrap();
        files.retain(|f| f.uploaded);
        files.into_iter().map(|f| f.name).collect()
    }

    /// Adds a todo directly (setup, not under test).
    pub async fn seed(&self, title: &str, due: Option<&str>, completed: bool) -> TodoId {
        self.seed_for(&self.user, title, due, completed).await
    }

    pub async fn seed_for(
        &self,
        owner: &UserId,
        title: &str,
        due: Option<&str>,
        completed: bool,
    ) -> TodoId {
        let at = system_now();
        let todo = Todo {
            owner: owner.clone(),
            id: TodoId::new(),
            title: domain::TodoTitle::parse(title).unwrap(),
            description: Default::default(),
            notes: Default::default(),
            date_due: due.map(|d| domain::DueDate::parse(d).unwrap()),
            labels: Default::default(),
            priority: Default::default(),
            subtasks: Default::default(),
            list_id: None,
            due_time: None,
            repeat: None,
            repeat_after_completion: false,
            completions: Default::default(),
            completed,
            created_at: at,
            updated_at: at,
            version: 1,
            deleted_until: None,
            search: Default::default(),
            purging: false,
            reminders: Default::default(),
            remind_at: None,
        };
        self.store.create_todo(&todo).await.unwrap();
        todo.id
    }

    async fn run(&mut self, input: TurnInput) -> Reply {
        let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
        let sink = EventSink::new(tx);
        let mut ctx = TurnContext {
            session_id: server::domain::ConversationId::new(),
            user: self.user.clone(),
            store: self.store.clone(),
            files: self.files.clone(),
            attachments: std::mem::take(&mut self.attachments),
            today: self.today,
            time_zone: "UTC".into(),
            memory: std::mem::take(&mut self.memory),
            agent_epoch: 0,
            transcript: vec![],
        };
        self.agent
            .turn(&mut ctx, input, &sink)
            .await
            .expect("turn succeeds");
        drop(sink);
        self.memory = ctx.memory;
        let mut events = Vec::new();
        while let Some(event) = rx.recv().await {
            events.push(*event);
        }
        let text = events
            .iter()
            .filter_map(|e| match e {
                ChatEvent::Chunk { text } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        Reply { text, events }
    }

    pub async fn say(&mut self, message: &str) -> Reply {
        self.run(TurnInput::Message(message.into())).await
    }

    pub async fn run_confirm(&mut self, action_id: &str, approve: bool) -> Reply {
        self.run(TurnInput::Confirm {
            action_id: action_id.into(),
            approve,
        })
        .await
    }

    pub async fn answer(&mut self, reply: &Reply, approve: bool) -> Reply {
        let action_id = reply.confirm_id().expect("a confirmation was asked");
        self.run(TurnInput::Confirm { action_id, approve }).await
    }

    pub async fn todos(&self) -> Vec<Todo> {
        self.store.list_todos(&self.user).await.unwrap()
    }

    pub async fn todo(&self, title: &str) -> Option<Todo> {
        self.todos()
            .await
            .into_iter()
            .find(|t| t.title.as_str() == title)
    }

    pub async fn titles(&self) -> Vec<String> {
        self.todos()
            .await
            .iter()
            .map(|t| t.title.as_str().to_owned())
            .collect()
    }
}

pub fn due(todo: &Todo) -> Option<String> {
    todo.date_due.map(|d| d.to_iso())
}

/// The real time, as the services' clock gives it (whole milliseconds).
fn system_now() -> jiff::Timestamp {
    server::domain::Clock::now(&server::domain::SystemClock)
}
