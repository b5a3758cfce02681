//! The assistant's client state: the transcript (each message's parts are separate signals,
//! so a streamed chunk re-renders only its own bubble), the connection status, and the
//! actions: send, confirm, stop, retry, new chat, restore history.

use leptos::{prelude::*, task::spawn_local};
use web_sys::AbortController;

use super::client::{ChatFailure, run_turn};
use crate::chat_fold::{fold_tool_card, tool_card};
use crate::ui::{
    auth::session::Auth,
    files::uploads::{Upload, UploadState},
    owned_task::spawn_while,
    todos::state::TodoState,
};
use crate::wire::chat::{
    ChatEvent, ChatHistory, ChatMessage, ChatRequest, ChatRole, ConfirmAnswer, ConfirmRequest,
    MessageRequest, PendingConfirm, RegenerateRequest, ToolCard, ToolStatus,
};
use crate::wire::plan::PlanCard;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Online,
    Reconnecting,
    Offline,
}

impl Connection {
    pub fn label(self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Online => "online",
            Self::Reconnecting => "reconnecting",
            Self::Offline => "offline",
        }
    }
}

/// One bubble. `Copy`: every part is a signal.
#[derive(Clone, Copy)]
pub struct UiMessage {
    pub key: u64,
    pub role: ChatRole,
    pub text: RwSignal<String>,
    pub tools: RwSignal<Vec<ToolCard>>,
    pub confirm: RwSignal<Option<PendingConfirm>>,
    /// A plan card the reply proposed (with its answer once answered).
    pub plan: RwSignal<Option<PlanCard>>,
    /// Names of the files a user message carried.
    pub files: RwSignal<Vec<String>>,
    /// Still receiving chunks.
    pub streaming: RwSignal<bool>,
    pub interrupted: RwSignal<bool>,
    /// A failure to show, and whether retrying may help.
    pub failure: RwSignal<Option<(String, bool)>>,
}

impl UiMessage {
    /// Its signals belong to `owner` (the chat panel), not to whatever view happens to be
    /// running: a message created from a button's handler outlives that button.
    fn new(owner: &Owner, key: u64, role: ChatRole, text: &str) -> Self {
        owner.with(|| Self {
            key,
            role,
            text: RwSignal::new(text.to_owned()),
            tools: RwSignal::new(Vec::new()),
            confirm: RwSignal::new(None),
            plan: RwSignal::new(None),
            files: RwSignal::new(Vec::new()),
            streaming: RwSignal::new(false),
            interrupted: RwSignal::new(false),
            failure: RwSignal::new(None),
        })
    }
}

#[derive(Clone, Copy)]
pub struct ChatState {
    auth: Auth,
    todos: TodoState,
    pub messages: RwSignal<Vec<UiMessage>>,
    pub connection: RwSignal<Connection>,
    /// A turn is running.
    pub busy: RwSignal<bool>,
    /// The text of the last finished reply, for the aria-live region.
    pub announcement: RwSignal<String>,
    /// Bumped whenever content grows, so the view can keep the bottom in sight.
    pub content_version: RwSignal<u64>,
    /// Files dropped into the chat for the next message (chips in the composer).
    pub attachments: RwSignal<Vec<Upload>>,
    /// The current conversation's id, once known.
    pub session_id: RwSignal<Option<String>>,
    /// The last turn can be replaced (it was a message, not a confirmation's answer).
    pub replaceable: RwSignal<bool>,
    /// The composer holds an edit of the last message: sending replaces that turn.
    pub editing: RwSignal<bool>,
    /// A past conversation shown read-only instead of the current one: (id, title).
    pub viewing: RwSignal<Option<(String, String)>>,
    /// The composer's text.
    pub draft: RwSignal<String>,
    next_key: StoredValue<u64>,
    owner: StoredValue<Owner>,
    last_request: StoredValue<Option<ChatRequest>>,
    abort: StoredValue<Option<AbortController>, LocalStorage>,
}

impl ChatState {
    pub fn new(auth: Auth, todos: TodoState) -> Self {
        Self {
            auth,
            todos,
            messages: RwSignal::new(Vec::new()),
            connection: RwSignal::new(Connection::Connecting),
            busy: RwSignal::new(false),
            announcement: RwSignal::new(String::new()),
            content_version: RwSignal::new(0),
            attachments: RwSignal::new(Vec::new()),
            session_id: RwSignal::new(None),
            replaceable: RwSignal::new(false),
            editing: RwSignal::new(false),
            viewing: RwSignal::new(None),
            draft: RwSignal::new(String::new()),
            next_key: StoredValue::new(0),
            owner: StoredValue::new(
                Owner::current().expect("ChatState is created inside a component"),
            ),
            last_request: StoredValue::new(None),
            abort: StoredValue::new_local(None),
        }
    }

    fn push(&self, role: ChatRole, text: &str) -> UiMessage {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        let message = self
            .owner
            .with_value(|owner| UiMessage::new(owner, key, role, text));
        self.messages.update(|list| list.push(message));
        self.bump();
        message
    }

    fn bump(&self) {
        self.content_version.update(|v| *v += 1);
    }

    /// Loads the server-side transcript (reload or reconnect resumes the conversation); also
    /// the connectivity check behind the status pill, retried with backoff while offline.
    pub fn connect(self) {
        spawn_while(self.messages, async move {
            let mut delay = 1_000u64;
            loop {
                match crate::ui::api::chat_history(self.auth).await {
                    Ok(history) => {
                        self.restore(history);
                        self.connection.set(Connection::Online);
                        return;
                    }
                    Err(crate::ui::api::ApiFailure::SignedOut) => return,
                    Err(_) => {
                        self.connection.set(Connection::Reconnecting);
                        sleep_ms(delay).await;
                        delay = (delay * 2).min(30_000);
                    }
                }
            }
        });
    }

    fn restore(&self, history: ChatHistory) {
        if self.busy.get_untracked() {
            return;
        }
        self.session_id.set(history.session_id.clone());
        self.viewing.set(None);
        let last_asked = history
            .messages
            .iter()
            .rev()
            .find(|m| m.role == ChatRole::User)
            .map(|m| m.text.clone());
        self.replaceable
            .set(last_asked.is_some_and(|t| t != "Confirm" && t != "Cancel"));
        self.show(history);
    }

    /// Shows a transcript (the current one, or a past one read-only).
    fn show(&self, history: ChatHistory) {
        self.messages.set(Vec::new());
        let mut running = None;
        for stored in history.messages {
            let still_running = stored.running;
            let message = self.push(stored.role, &stored.text);
            apply_stored(message, stored);
            if still_running {
                running = Some(message);
            }
        }
        if let Some(reply) = running {
            self.follow(reply);
        }
    }

    /// A reply still being written when the page loaded (a reload, a second tab): shown with
    /// the typing state and refreshed from the server's history (which it saves as it
    /// grows, on whichever instance runs it) until it ends. Stop works as usual.
    fn follow(self, reply: UiMessage) {
        reply.streaming.set(true);
        self.busy.set(true);
        spawn_while(self.messages, async move {
            loop {
                sleep_ms(FOLLOW_INTERVAL_MS).await;
                let history = match crate::ui::api::chat_history(self.auth).await {
                    Ok(history) => history,
                    Err(crate::ui::api::ApiFailure::SignedOut) => return,
                    Err(_) => continue,
                };
                let Some(last) = history.messages.into_iter().last() else {
                    break;
                };
                let finished = !last.running;
                reply.text.set(last.text.clone());
                apply_stored(reply, last);
                self.bump();
                if finished {
                    break;
                }
            }
            reply.streaming.set(false);
            self.busy.set(false);
            self.announcement.set(reply.text.get_untracked());
            // What the turn changed is not known here: the list reloads.
            self.todos.changed_elsewhere();
            self.bump();
        });
    }

    /// Uploads files dropped into the chat; each becomes a chip the next message carries.
    pub fn add_files(self, files: Vec<web_sys::File>) {
        for file in files {
            let upload = self
                .owner
                .with_value(|owner| Upload::start(owner, self.auth, file, None, |_| {}));
            self.attachments.update(|list| list.push(upload));
        }
    }

    pub fn remove_attachment(self, key: u64) {
        self.attachments
            .update(|list| list.retain(|u| u.key != key));
    }

    /// A dropped file is still on its way: sending now would leave it behind.
    pub fn uploading(&self) -> bool {
        self.attachments
            .with(|list| list.iter().any(|u| u.state.get() == UploadState::Uploading))
    }

    pub fn send_message(self, text: String) {
        let edit = self.editing.get_untracked();
        if edit {
            self.editing.set(false);
            self.drop_last_turn(true);
        }
        let ready: Vec<_> = self
            .attachments
            .get_untracked()
            .iter()
            .filter_map(Upload::file)
            .collect();
        let request = ChatRequest::Message(MessageRequest {
            message: text.clone(),
            time_zone: crate::ui::browser::time_zone(),
            file_ids: ready.iter().map(|f| f.file_id.clone()).collect(),
            edit,
        });
        let message = self.push(ChatRole::User, &text);
        message
            .files
            .set(ready.into_iter().map(|f| f.name).collect());
        self.attachments.set(Vec::new());
        self.replaceable.set(true);
        self.start(request);
    }

    /// The text of the last message sent, for the composer; sending it then replaces that
    /// turn.
    pub fn edit_last(self) -> Option<String> {
        let last = self.messages.with_untracked(|list| {
            list.iter()
                .rev()
                .find(|m| m.role == ChatRole::User)
                .map(|m| m.text.get_untracked())
        })?;
        self.editing.set(true);
        Some(last)
    }

    /// Asks for the last reply again; it is replaced here and on the server.
    pub fn regenerate(self) {
        if self.busy.get_untracked() {
            return;
        }
        self.drop_last_turn(false);
        self.start(ChatRequest::Regenerate(RegenerateRequest {
            regenerate: true,
            time_zone: crate::ui::browser::time_zone(),
        }));
    }

    /// Removes the last turn's bubbles: the reply after the last user message, and
    /// (`with_message`) that message too.
    fn drop_last_turn(&self, with_message: bool) {
        self.messages.update(|list| {
            if let Some(at) = list.iter().rposition(|m| m.role == ChatRole::User) {
                list.truncate(if with_message { at } else { at + 1 });
            }
        });
        self.bump();
    }

    /// Whether `key` is the last message the user sent (its bubble offers Edit).
    pub fn is_last_sent(&self, key: u64) -> bool {
        self.messages.with(|list| {
            list.iter()
                .rev()
                .find(|m| m.role == ChatRole::User)
                .is_some_and(|m| m.key == key)
        })
    }

    /// Whether `key` is the last bubble (a reply that may be regenerated).
    pub fn is_last(&self, key: u64) -> bool {
        self.messages
            .with(|list| list.last().is_some_and(|m| m.key == key))
    }

    /// Shows a past conversation read-only.
    pub fn open_past(self, session_id: String, title: String) {
        spawn_while(self.messages, async move {
            match crate::ui::api::chat_conversation(self.auth, &session_id).await {
                Ok(history) if !self.busy.get_untracked() => {
                    self.show(history);
                    self.viewing.set(Some((session_id, title)));
                }
                Ok(_) => {}
                Err(e) => self.note_failure(e.to_string()),
            }
        });
    }

    /// Makes the conversation on view the current one.
    pub fn continue_past(self) {
        let Some((session_id, _)) = self.viewing.get_untracked() else {
            return;
        };
        spawn_while(self.messages, async move {
            match crate::ui::api::chat_continue(self.auth, &session_id).await {
                Ok(history) => self.restore(history),
                Err(e) => self.note_failure(e.to_string()),
            }
        });
    }

    /// Back from a past conversation to the current one.
    pub fn back_to_current(self) {
        self.viewing.set(None);
        self.connect();
    }

    /// After a conversation was deleted: if it was on view or current, the view goes.
    pub fn forget(self, session_id: &str) {
        let shown = self
            .viewing
            .with_untracked(|v| v.as_ref().is_some_and(|(id, _)| id == session_id));
        let current = self.session_id.get_untracked().as_deref() == Some(session_id);
        if shown || current {
            self.back_to_current();
        }
    }

    fn note_failure(&self, message: String) {
        let note = self.push(ChatRole::Assistant, "");
        note.failure.set(Some((message, false)));
    }

    pub fn answer(self, message: UiMessage, action_id: String, approve: bool) {
        self.push(ChatRole::User, if approve { "Confirm" } else { "Cancel" });
        self.replaceable.set(false);
        self.start(ChatRequest::Confirm(ConfirmRequest {
            confirm: ConfirmAnswer { action_id, approve },
            time_zone: crate::ui::browser::time_zone(),
        }));
        // Last: this removes the card whose button is running this handler.
        message.confirm.set(None);
    }

    /// Sends the last request again (after a failure).
    pub fn retry(self) {
        if let Some(request) = self.last_request.get_value() {
            self.start(request);
        }
    }

    fn start(self, request: ChatRequest) {
        if self.busy.get_untracked() {
            return;
        }
        self.last_request.set_value(Some(request.clone()));
        let reply = self.push(ChatRole::Assistant, "");
        reply.streaming.set(true);
        self.busy.set(true);
        let Ok(abort) = AbortController::new() else {
            return;
        };
        self.abort.set_value(Some(abort.clone()));
        let body = serde_json::to_string(&request).unwrap_or_default();
        spawn_while(self.messages, async move {
            let result = run_turn(self.auth, body, &abort, |event| self.apply(reply, event)).await;
            match result {
                Ok(()) => self.connection.set(Connection::Online),
                Err(failure) => self.fail(reply, failure),
            }
            reply.streaming.set(false);
            self.busy.set(false);
            self.abort.set_value(None);
            self.bump();
            // "undo that" marked an earlier card undone on the server: show it.
            let undid = reply.tools.with_untracked(|cards| {
                cards
                    .iter()
                    .any(|c| c.name == "undo" && c.status == ToolStatus::Succeeded)
            });
            if undid {
                self.connect();
            }
        });
    }

    fn fail(&self, reply: UiMessage, failure: ChatFailure) {
        if failure.offline {
            self.connection.set(Connection::Offline);
            // Keep checking until the server answers again.
            self.connect();
        }
        if !reply.text.get_untracked().is_empty() {
            reply.interrupted.set(true);
        }
        reply
            .failure
            .set(Some((failure.message, failure.retryable)));
    }

    fn apply(&self, reply: UiMessage, event: ChatEvent) {
        match event {
            ChatEvent::Session { session_id, .. } => {
                self.session_id.set(Some(session_id));
                self.connection.set(Connection::Online);
            }
            ChatEvent::Chunk { text } => reply.text.update(|t| t.push_str(&text)),
            ChatEvent::Tool { .. } => {
                if let Some(card) = tool_card(&event) {
                    reply.tools.update(|cards| fold_tool_card(cards, card));
                }
            }
            ChatEvent::TodosChanged { .. } => self.todos.changed_elsewhere(),
            ChatEvent::Plan(card) => reply.plan.set(Some(*card)),
            ChatEvent::Confirm { action_id, prompt } => reply
                .confirm
                .set(Some(PendingConfirm { action_id, prompt })),
            ChatEvent::Done { .. } => {
                reply.streaming.set(false);
                self.announcement.set(reply.text.get_untracked());
            }
            ChatEvent::Error {
                message, retryable, ..
            } => {
                reply.streaming.set(false);
                if !reply.text.get_untracked().is_empty() {
                    reply.interrupted.set(true);
                }
                reply.failure.set(Some((message, retryable)));
            }
        }
        self.bump();
    }

    /// Stops the running reply; the server keeps what was written so far.
    pub fn stop(self) {
        if let Some(last) = self.messages.with_untracked(|m| m.last().copied()) {
            last.interrupted.set(true);
        }
        spawn_local(async move {
            let _ = crate::ui::api::chat_stop(self.auth).await;
        });
    }

    pub fn new_chat(self) {
        if let Some(abort) = self.abort.get_value() {
            abort.abort();
        }
        spawn_while(self.messages, async move {
            match crate::ui::api::chat_new(self.auth).await {
                Ok(()) => {
                    self.messages.set(Vec::new());
                    self.viewing.set(None);
                    self.replaceable.set(false);
                    self.editing.set(false);
                    self.announcement.set("Started a new chat.".into());
                }
                Err(e) => {
                    let note = self.push(ChatRole::Assistant, "");
                    note.failure.set(Some((e.to_string(), false)));
                }
            }
        });
    }
}

fn apply_stored(message: UiMessage, stored: ChatMessage) {
    message.files.set(stored.files);
    message.tools.set(stored.tools);
    message.confirm.set(stored.confirm);
    message.plan.set(stored.plan.map(|card| *card));
    message.interrupted.set(stored.interrupted);
}

/// How often a reply found running is refreshed (while it is read, the server saves it once a
/// second).
const FOLLOW_INTERVAL_MS: u64 = 1_000;

/// Waits `ms` milliseconds (a timer-resolved promise).
async fn sleep_ms(ms: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let _ = crate::ui::browser::window().set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            ms.min(i32::MAX as u64) as i32,
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
