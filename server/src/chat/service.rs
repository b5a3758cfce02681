//! `ChatService`: starts turns, relays the agent's events, records the transcript, and
//! persists the session before the final event (a `done` is only sent once the reply is
//! durable). One running turn per user on every instance (a lease in the store, see
//! `lease.rs`); `stop` works from any instance and keeps the partial reply. The running
//! turn itself (relay, lease watch, progress saves) is in `turn.rs`.

use std::sync::Arc;

use app::wire::chat::{
    ChatEvent, ChatHistory, ChatRequest, ConversationList, ConversationSummary, MESSAGE_MAX_CHARS,
};
use tokio::sync::mpsc;

pub use super::lease::LEASE_SECONDS;
use super::{
    lease::{self, Lease, LeaseError},
    running::RunningTurns,
};
use crate::{
    agent::{Agent, TurnInput},
    domain::{
        Cause, ChangeId, Clock, ConversationCursor, ConversationId, Entry, FileId, FileRecord,
        LastTurn, UserId,
        chat::{ChatSession, SESSION_TTL_SECONDS, empty_reply, user_message},
        rfc3339,
    },
    files::{FileError, Files},
    store::{Store, StoreError},
    tickets::{TICKET_TTL, Tickets},
    tools::changes::{self, UndoError, Undone},
};

/// Reading the history extends the session only if it was last extended this long ago.
const TOUCH_AFTER_SECONDS: i64 = 60;

/// The rate limit's window.
const RATE_WINDOW_MS: i64 = 60_000;

/// Files one chat message may carry.
pub const MAX_FILES_PER_MESSAGE: usize = 10;

#[derive(Debug, Clone, Copy)]
pub struct ChatLimits {
    /// Turns a user may start per minute.
    pub turns_per_minute: usize,
    /// How long a running turn's lease lives without renewal (a dead instance's turn
    /// blocks its user this long at most).
    pub turn_lease: std::time::Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    TooLong(String),
    #[error("Too many messages; try again in {retry_after_seconds} s.")]
    RateLimited { retry_after_seconds: u64 },
    #[error("A reply is still being written; wait for it or stop it first.")]
    Busy,
    /// Edit or regenerate with no replaceable last turn.
    #[error("{0}")]
    NothingToReplace(String),
    #[error("No such conversation.")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A turn's user side, recorded (`prepare`) and handed to the running turn.
pub(super) struct PreparedTurn {
    /// The conversation with the user's message (the reply is not in it yet).
    pub session: ChatSession,
    /// Whether the conversation was resumed rather than started.
    pub resumed: bool,
    pub input: TurnInput,
    /// The files the message carries.
    pub attachments: Vec<FileRecord>,
    /// What replacing the previous turn could not take back, said before the reply.
    pub notes: Vec<String>,
}

/// A started turn: its events, ending with `done` or `error`.
pub struct TurnStream {
    /// Boxed: see `agent::EventSink`.
    pub events: mpsc::Receiver<Box<ChatEvent>>,
}

pub struct ChatService {
    pub(super) store: Arc<dyn Store>,
    pub(super) files: Arc<Files>,
    pub(super) agent: Arc<dyn Agent>,
    pub(super) clock: Arc<dyn Clock>,
    limits: ChatLimits,
    /// The turn running for each user on this instance.
    running: RunningTurns,
    pub tickets: Tickets,
}

pub(super) fn check_time_zone(name: &str) -> Result<jiff::tz::TimeZone, ChatError> {
    crate::domain::clock::time_zone(name).map_err(|e| ChatError::Invalid(e.0))
}

impl ChatService {
    /// The service's clock (tests move it): what "today" is for listings too.
    pub fn current_time(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// Chat sessions live in the files' store.
    pub fn new(
        files: Arc<Files>,
        agent: Arc<dyn Agent>,
        clock: Arc<dyn Clock>,
        limits: ChatLimits,
    ) -> Self {
        Self {
            store: files.store_arc(),
            tickets: Tickets::new(files.store_arc(), clock.clone(), "ws", TICKET_TTL),
            files,
            agent,
            clock,
            limits,
            running: RunningTurns::default(),
        }
    }

    pub(super) fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// The user's current conversation (the latest, if used in the last 30 minutes), or a
    /// fresh one (the older ones stay in the list); `true` when resumed.
    pub async fn current_session(&self, user: &UserId) -> Result<(ChatSession, bool), ChatError> {
        let now = self.now();
        match self.store.latest_chat_session(user).await? {
            Some(session) if session.is_live(now) => Ok((session, true)),
            latest => {
                let mut fresh = ChatSession::new(user.clone(), now);
                // Later than the latest, even within its millisecond: it becomes current.
                if let Some(latest) = latest {
                    fresh.mark_used_after(&latest);
                }
                fresh.mark_used(now);
                Ok((fresh, false))
            }
        }
    }

    /// Counts a turn against the user's `turns_per_minute`, in the store: the window is
    /// shared by every instance. A sliding minute of turn start times, written
    /// conditionally (a lost race reads again).
    async fn admit(&self, user: &UserId) -> Result<(), ChatError> {
        let key = format!("turns:{}", user.as_str());
        for _ in 0..8 {
            let now = self.now();
            let now_ms = now.as_millisecond();
            let current = self.store.get_entry(&key, now).await?;
            let mut starts: Vec<i64> = current
                .as_ref()
                .and_then(|e| serde_json::from_value(e.body["starts"].clone()).ok())
                .unwrap_or_default();
            starts.retain(|at| now_ms - at < RATE_WINDOW_MS);
            if starts.len() >= self.limits.turns_per_minute {
                let oldest = starts.iter().min().copied().unwrap_or(now_ms);
                let wait_ms = oldest + RATE_WINDOW_MS - now_ms;
                return Err(ChatError::RateLimited {
                    retry_after_seconds: (wait_ms.max(0) as u64).div_ceil(1000).max(1),
                });
            }
            starts.push(now_ms);
            let body = serde_json::json!({ "starts": starts });
            // Gone a little after its newest start leaves the window.
            let expires_at = now + jiff::SignedDuration::from_millis(RATE_WINDOW_MS + 1000);
            let written = match &current {
                Some(entry) => {
                    let next = entry.next(body, expires_at);
                    self.store.put_entry(&next, Some(entry.version), now).await
                }
                None => {
                    let entry = Entry::new(key.clone(), body, expires_at);
                    self.store.put_entry(&entry, None, now).await
                }
            };
            match written {
                Ok(()) => return Ok(()),
                Err(StoreError::Changed) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        // Many turns racing for one user: treat it as the limit it nearly is.
        Err(ChatError::RateLimited {
            retry_after_seconds: 1,
        })
    }

    fn validate(request: &ChatRequest) -> Result<(), ChatError> {
        if let ChatRequest::Regenerate(r) = request {
            if !r.regenerate {
                return Err(ChatError::Invalid(
                    "`regenerate` must be true (or send a message).".into(),
                ));
            }
            if let Some(tz) = &r.time_zone {
                check_time_zone(tz)?;
            }
        }
        if let ChatRequest::Confirm(c) = request
            && let Some(tz) = &c.time_zone
        {
            check_time_zone(tz)?;
        }
        if let ChatRequest::Message(m) = request {
            let chars = m.message.chars().count();
            if chars > MESSAGE_MAX_CHARS {
                return Err(ChatError::TooLong(format!(
                    "The message is {chars} characters long; the limit is {MESSAGE_MAX_CHARS}."
                )));
            }
            if m.message.trim().is_empty() {
                return Err(ChatError::Invalid("The message is empty.".into()));
            }
            if let Some(tz) = &m.time_zone {
                check_time_zone(tz)?;
            }
            if m.file_ids.len() > MAX_FILES_PER_MESSAGE {
                return Err(ChatError::Invalid(format!(
                    "A message can carry at most {MAX_FILES_PER_MESSAGE} files."
                )));
            }
        }
        Ok(())
    }

    /// Starts a turn. Errors (bad input, rate limit, a turn already running) happen before
    /// anything is stored or streamed.
    pub async fn start_turn(
        self: &Arc<Self>,
        user: UserId,
        request: ChatRequest,
    ) -> Result<TurnStream, ChatError> {
        Self::validate(&request)?;
        // Held until the turn ends: dropped on any return below, the user is free again.
        let running = self.running.start(&user).ok_or(ChatError::Busy)?;
        // The lease makes "one turn per user" hold on every instance.
        let lifetime = self.limits.turn_lease;
        let lease = Lease::acquire(self.store.as_ref(), self.clock.as_ref(), &user, lifetime)
            .await
            .map_err(|e| match e {
                LeaseError::Busy => ChatError::Busy,
                LeaseError::Store(e) => ChatError::from(e),
            })?;
        let admitted = match self.admit(&user).await {
            Ok(()) => self.prepare(&user, request).await,
            Err(e) => Err(e),
        };
        let turn = match admitted {
            Ok(turn) => turn,
            Err(e) => {
                lease
                    .release(self.store.as_ref(), self.clock.as_ref())
                    .await;
                return Err(e);
            }
        };
        let (tx, rx) = mpsc::channel(64);
        let service = self.clone();
        tokio::spawn(async move { service.run_turn(turn, running, lease, tx).await });
        Ok(TurnStream { events: rx })
    }

    /// Records the user's side of the turn durably before the agent starts.
    async fn prepare(
        &self,
        user: &UserId,
        request: ChatRequest,
    ) -> Result<PreparedTurn, ChatError> {
        let (mut session, resumed) = self.current_session(user).await?;
        // This turn holds the lease: a reply still marked running was abandoned.
        session.settle_abandoned_reply();
        let no_turn = || {
            ChatError::NothingToReplace(
                "There is no message of yours to replace (the last one answered a confirmation, \
                 or this conversation has none)."
                    .into(),
            )
        };
        let mut notes = Vec::new();
        let (input, attachments) = match request {
            ChatRequest::Message(m) => {
                if m.edit {
                    notes = self.take_back_last_turn(&mut session).await;
                    session.take_last_turn().ok_or_else(no_turn)?;
                }
                let attachments = self.attachments(user, &m.file_ids).await?;
                if let Some(tz) = m.time_zone {
                    session.time_zone = tz;
                }
                self.push_turn(&mut session, m.message.trim(), &attachments);
                (TurnInput::Message(m.message), attachments)
            }
            ChatRequest::Regenerate(r) => {
                let file_ids = session
                    .last_turn
                    .as_ref()
                    .map(|t| t.file_ids.clone())
                    .unwrap_or_default();
                if session.last_turn.is_some() {
                    notes = self.take_back_last_turn(&mut session).await;
                }
                let asked = session.take_last_turn().ok_or_else(no_turn)?;
                // Files deleted since are left out rather than failing the whole turn.
                let mut attachments = Vec::new();
                for id in file_ids {
                    if let Ok(file) = self.files.get(user, id).await {
                        attachments.push(file);
                    }
                }
                if let Some(tz) = r.time_zone {
                    session.time_zone = tz;
                }
                self.push_turn(&mut session, &asked.text, &attachments);
                (TurnInput::Message(asked.text), attachments)
            }
            ChatRequest::Confirm(c) => {
                if let Some(tz) = c.time_zone {
                    session.time_zone = tz;
                }
                session.clear_pending_confirmations();
                session.push(user_message(if c.confirm.approve {
                    "Confirm"
                } else {
                    "Cancel"
                }));
                // Its effects cannot be taken back by replacing it.
                session.last_turn = None;
                let input = TurnInput::Confirm {
                    action_id: c.confirm.action_id,
                    approve: c.confirm.approve,
                };
                (input, Vec::new())
            }
        };
        session.mark_used(self.now());
        // Saved with the reply to come as an empty running placeholder: a reload at once
        // follows it, and if this instance dies the reply reads as interrupted.
        let mut placeholder = empty_reply();
        placeholder.running = true;
        session.push(placeholder);
        let saved = self.store.save_chat_session(&session).await;
        session.messages.pop();
        saved?;
        Ok(PreparedTurn {
            session,
            resumed,
            input,
            attachments,
            notes,
        })
    }

    /// Before the last turn is replaced, what it did to todos is undone (newest first), so the
    /// transcript, the agent's memory and the todos agree; a change that cannot be undone
    /// (the todo changed since) stays, and the sentence saying so is returned for the reply.
    async fn take_back_last_turn(&self, session: &mut ChatSession) -> Vec<String> {
        if session.last_turn.is_none() {
            return Vec::new();
        }
        let Some(at) = session
            .messages
            .iter()
            .rposition(|m| m.role == app::wire::chat::ChatRole::User)
        else {
            return Vec::new();
        };
        // Cards carry the ids as clients read them; the server wrote them, so they parse.
        let made: Vec<ChangeId> = session.messages[at..]
            .iter()
            .flat_map(|m| &m.tools)
            .filter(|card| !card.undone)
            .filter_map(|card| ChangeId::parse(card.change_id.as_deref()?).ok())
            .collect();
        let mut notes = Vec::new();
        for &change_id in made.iter().rev() {
            match changes::undo(&self.files, &session.owner, change_id).await {
                Ok(_) => {}
                Err(UndoError::Conflict(why) | UndoError::QuotaExceeded(why)) => notes.push(why),
                Err(UndoError::NotFound(_)) => {}
                Err(UndoError::Backend(e)) => {
                    tracing::warn!(error = %e, "replaced turn's change not undone");
                    notes.push("A change of the replaced message could not be undone.".into());
                }
            }
        }
        notes
    }

    /// The user's own uploaded files among `ids`; anything else is "no such file".
    async fn attachments(
        &self,
        user: &UserId,
        ids: &[String],
    ) -> Result<Vec<FileRecord>, ChatError> {
        let mut attachments = Vec::new();
        for id in ids {
            let id = FileId::parse(id).map_err(|e| ChatError::Invalid(e.0))?;
            let file = self.files.get(user, id).await.map_err(|e| match e {
                FileError::Invalid(m) => ChatError::Invalid(m),
                FileError::NotFound(_) => ChatError::Invalid(
                    "A file sent with the message does not exist or is still uploading.".into(),
                ),
                other => ChatError::Store(StoreError::Backend(Cause::new(other))),
            })?;
            if !attachments.contains(&file) {
                attachments.push(file);
            }
        }
        Ok(attachments)
    }

    /// Appends the user's message as a turn that can be replaced (edit, regenerate).
    fn push_turn(&self, session: &mut ChatSession, text: &str, attachments: &[FileRecord]) {
        session.last_turn = Some(LastTurn {
            memory_before: session.memory.clone(),
            file_ids: attachments.iter().map(|f| f.id).collect(),
        });
        let mut message = user_message(text);
        message.files = attachments.iter().map(|f| f.name.clone()).collect();
        session.push(message);
    }

    /// Stops the user's running turn, on whichever instance runs it (here at once, elsewhere
    /// within `store::ENTRY_POLL`); the partial reply is kept. `false` if none was running.
    pub async fn stop(&self, user: &UserId) -> Result<bool, ChatError> {
        let here = self.running.stop(user);
        let anywhere = lease::request_stop(self.store.as_ref(), self.clock.as_ref(), user).await?;
        Ok(here || anywhere)
    }

    /// Starts a fresh conversation (stopping a running turn); the previous one stays in the
    /// list. An empty current conversation is reused rather than piling up empty ones.
    pub async fn new_session(&self, user: &UserId) -> Result<ChatSession, ChatError> {
        self.stop(user).await?;
        let now = self.now();
        let latest = self.store.latest_chat_session(user).await?;
        if let Some(latest) = latest.as_ref()
            && latest.is_live(now)
            && latest.messages.is_empty()
        {
            return Ok(latest.clone());
        }
        let mut session = ChatSession::new(user.clone(), now);
        if let Some(latest) = latest {
            session.mark_used_after(&latest);
        }
        session.mark_used(now);
        self.store.save_chat_session(&session).await?;
        Ok(session)
    }

    /// The current conversation's transcript (reading it extends its life); empty when
    /// there is none.
    pub async fn history(&self, user: &UserId) -> Result<ChatHistory, ChatError> {
        let now = self.now();
        match self.store.latest_chat_session(user).await? {
            Some(session) if session.is_live(now) => {
                let session = self.settle(session, true).await?;
                Ok(ChatHistory {
                    session_id: Some(session.session_id.to_string()),
                    messages: session.messages,
                })
            }
            _ => Ok(ChatHistory {
                session_id: None,
                messages: vec![],
            }),
        }
    }

    /// A reply left running by an instance that is gone reads as interrupted; `extend`: the
    /// current conversation's life is extended now and then by reading it.
    async fn settle(
        &self,
        mut session: ChatSession,
        extend: bool,
    ) -> Result<ChatSession, ChatError> {
        let now = self.now();
        let reply_running = session.messages.last().is_some_and(|m| m.running);
        if !reply_running && !extend {
            return Ok(session);
        }
        let turn_running = if reply_running {
            // Somebody reads the running reply: its instance saves it often for a while.
            lease::follow(self.store.as_ref(), self.clock.as_ref(), &session.owner).await?
        } else {
            lease::is_running(self.store.as_ref(), self.clock.as_ref(), &session.owner).await?
        };
        if !turn_running {
            session.settle_abandoned_reply();
            // Rewritten only now and then: a page polling a running reply must not race the
            // turn's own saves, which extend the session anyway.
            if extend
                && session.expires_at - now.as_second() < SESSION_TTL_SECONDS - TOUCH_AFTER_SECONDS
            {
                session.touch(now);
                self.store.save_chat_session(&session).await?;
            }
        }
        Ok(session)
    }

    /// A page of the user's conversations, newest first.
    pub async fn conversations(
        &self,
        user: &UserId,
        next: Option<&str>,
        limit: usize,
    ) -> Result<ConversationList, ChatError> {
        let after = next
            .map(ConversationCursor::parse)
            .transpose()
            .map_err(|e| ChatError::Invalid(e.0))?;
        let page = self
            .store
            .list_chat_sessions(user, after, limit, self.now())
            .await?;
        Ok(ConversationList {
            conversations: page
                .conversations
                .into_iter()
                .map(|c| ConversationSummary {
                    session_id: c.session_id.to_string(),
                    title: c.title,
                    updated_at: jiff::Timestamp::from_millisecond(c.updated_at_ms)
                        .map(rfc3339)
                        .unwrap_or_default(),
                })
                .collect(),
            next: page.next.map(|cursor| cursor.encode()),
        })
    }

    async fn conversation_of(
        &self,
        user: &UserId,
        id: ConversationId,
    ) -> Result<ChatSession, ChatError> {
        match self.store.get_chat_session(user, id).await? {
            Some(session) if session.purge_at() > self.now() => Ok(session),
            _ => Err(ChatError::NotFound),
        }
    }

    /// One of the user's conversations, to read.
    pub async fn conversation(
        &self,
        user: &UserId,
        id: ConversationId,
    ) -> Result<ChatHistory, ChatError> {
        let session = self
            .settle(self.conversation_of(user, id).await?, false)
            .await?;
        Ok(ChatHistory {
            session_id: Some(session.session_id.to_string()),
            messages: session.messages,
        })
    }

    /// Makes one of the user's conversations the current one again (a running turn is
    /// stopped first: one turn per user); returns its transcript.
    pub async fn continue_conversation(
        &self,
        user: &UserId,
        id: ConversationId,
    ) -> Result<ChatHistory, ChatError> {
        let session = self.conversation_of(user, id).await?;
        self.stop(user).await?;
        let latest = self.store.latest_chat_session(user).await?;
        let mut session = self.settle(session, false).await?;
        if let Some(latest) = latest.filter(|l| l.session_id != session.session_id) {
            session.mark_used_after(&latest);
        }
        session.mark_used(self.now());
        self.store.save_chat_session(&session).await?;
        Ok(ChatHistory {
            session_id: Some(session.session_id.to_string()),
            messages: session.messages,
        })
    }

    /// Deletes one of the user's conversations (stopping its turn and starting an empty one
    /// if it is the current one).
    pub async fn delete_conversation(
        &self,
        user: &UserId,
        id: ConversationId,
    ) -> Result<(), ChatError> {
        self.conversation_of(user, id).await?;
        let (current, _) = self.current_session(user).await?;
        let was_current = current.session_id == id;
        if was_current {
            self.stop(user).await?;
        }
        match self.store.delete_chat_session(user, id).await {
            Ok(()) | Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
        // Deleting the current conversation leaves an empty chat, never an older one
        // coming back as current.
        if was_current {
            self.new_session(user).await?;
        }
        Ok(())
    }

    /// Undoes a change an assistant made (a tool card's `changeId`).
    pub async fn undo_change(
        &self,
        user: &UserId,
        change_id: ChangeId,
    ) -> Result<Undone, UndoError> {
        changes::undo(&self.files, user, change_id).await
    }
}
