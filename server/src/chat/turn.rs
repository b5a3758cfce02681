//! A running turn: the agent's events go to the client as they come, and beside the relay,
//! never in its way, a keeper looks at the turn's lease (a stop from another instance, the
//! renewal) and saves the reply as it grows. The relay does no Store work: with a thousand
//! turns running, one turn's save must not hold up another turn's (or its own) next chunk.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use app::wire::chat::{ChatEvent, ChatMessage, Usage};
use tokio::sync::{Notify, mpsc};

use super::{
    lease::Lease,
    running::RunningTurn,
    service::{ChatService, PreparedTurn, check_time_zone},
};
use crate::{
    agent::{AgentError, EventSink, TurnContext, TurnInput},
    domain::{
        AgentMemory, ErrorKind,
        chat::{ChatSession, empty_reply, record},
        text::markdown_escape,
    },
    store::StoreError,
};

/// How often a reply being written is saved while somebody follows it from the Store (a
/// reload or another tab, on any instance, says so through the lease). Paced in real time
/// (`Instant`), not on the service's clock: it spaces writes out, it decides nothing.
const PROGRESS_FOLLOWED: Duration = Duration::from_secs(1);
/// ... and while nobody does: only so that an instance that dies loses little of it.
const PROGRESS_UNFOLLOWED: Duration = Duration::from_secs(5);

/// The reply as relayed so far, shared by the relay and the keeper; `events` counts what was
/// recorded, so the keeper saves only when something changed.
struct Growing {
    reply: ChatMessage,
    events: u64,
}

/// How a relay ended: the agent's result, or `None` when stopped.
type Outcome = Option<Result<Usage, AgentError>>;

impl ChatService {
    /// Runs a prepared turn to its end: `running` is held until then (dropping it frees
    /// the user for their next turn), the lease released just before the last event.
    pub(super) async fn run_turn(
        self: Arc<Self>,
        turn: PreparedTurn,
        running: RunningTurn,
        mut lease: Lease,
        client: mpsc::Sender<Box<ChatEvent>>,
    ) {
        let PreparedTurn {
            mut session,
            resumed,
            input,
            attachments,
            notes,
        } = turn;
        let stop = running.stop_signal();
        let _ = client
            .send(Box::new(ChatEvent::Session {
                session_id: session.session_id.to_string(),
                resumed,
            }))
            .await;
        let tz = check_time_zone(&session.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let today = self.clock.now().to_zoned(tz).date();
        // The transcript and the memory move into the turn (no copy of a long conversation
        // per running turn); what stays is what the saves need: owner and id.
        let mut transcript = std::mem::take(&mut session.messages);
        // Everything before this turn's own message.
        transcript.pop();
        let mut ctx = TurnContext {
            session_id: session.session_id,
            user: session.owner.clone(),
            store: self.store.clone(),
            files: self.files.clone(),
            attachments,
            today,
            time_zone: session.time_zone.clone(),
            memory: std::mem::take(&mut session.memory),
            agent_epoch: session.agent_epoch,
            transcript,
        };
        let mut reply = empty_reply();
        if let Some(note) = kept_note(&notes) {
            record(&mut reply, &note);
            let _ = client.send(Box::new(note)).await;
        }
        let growing = Mutex::new(Growing { reply, events: 0 });
        let finished = Notify::new();
        let relay = async {
            let outcome = self.relay(&mut ctx, input, stop, &growing, &client).await;
            finished.notify_one();
            outcome
        };
        let keeper = self.keep(&session, &mut lease, &growing, stop, &finished);
        // The keeper is done (no save of it in flight) before the final save below.
        let (outcome, ()) = tokio::join!(relay, keeper);
        let mut reply = growing
            .into_inner()
            .map_or_else(|e| e.into_inner().reply, |g| g.reply);
        let terminal = last_event(outcome, &mut reply);
        let saved = Box::pin(self.save_reply(&session, reply, Some(ctx.memory))).await;
        let terminal = match saved {
            Ok(()) => terminal,
            Err(e) => {
                tracing::error!(error = %e, "chat reply not saved");
                AgentError::new(
                    ErrorKind::NotSaved,
                    "The reply could not be saved; please try again.",
                )
                .to_chat_event()
            }
        };
        // Released before `done` goes out: the client may start its next turn at once.
        lease
            .release(self.store.as_ref(), self.clock.as_ref())
            .await;
        drop(running);
        let _ = client.send(Box::new(terminal)).await;
    }

    /// Runs the agent and passes each of its events on as it comes, recording it.
    async fn relay(
        &self,
        ctx: &mut TurnContext,
        input: TurnInput,
        stop: &Notify,
        growing: &Mutex<Growing>,
        client: &mpsc::Sender<Box<ChatEvent>>,
    ) -> Outcome {
        let (agent_tx, mut agent_rx) = mpsc::channel(64);
        let sink = EventSink::new(agent_tx);
        let turn = self.agent.turn(ctx, input, &sink);
        tokio::pin!(turn);
        let keep = |event: &ChatEvent| {
            let mut growing = growing.lock().expect("reply lock");
            record(&mut growing.reply, event);
            growing.events += 1;
        };
        loop {
            tokio::select! {
                biased;
                () = stop.notified() => return None,
                Some(event) = agent_rx.recv() => {
                    keep(&event);
                    let _ = client.send(event).await;
                }
                result = &mut turn => {
                    while let Ok(event) = agent_rx.try_recv() {
                        keep(&event);
                        let _ = client.send(event).await;
                    }
                    return Some(result);
                }
            }
        }
    }

    /// Beside the relay until it finishes: a look at the lease whenever it changes (a stop
    /// requested on any instance ends the turn; a follower) or is due for renewal, and the
    /// reply so far saved, marked running: when somebody starts following it and then every
    /// `PROGRESS_FOLLOWED`, else every `PROGRESS_UNFOLLOWED`. On the embedded store the
    /// keeper sleeps between those moments; on DynamoDB it polls the lease (`ENTRY_POLL`).
    async fn keep(
        &self,
        session: &ChatSession,
        lease: &mut Lease,
        growing: &Mutex<Growing>,
        stop: &Notify,
        finished: &Notify,
    ) {
        let (mut saved_at, mut saved_events) = (Instant::now(), 0);
        let mut followed = false;
        loop {
            let every = if followed {
                PROGRESS_FOLLOWED
            } else {
                PROGRESS_UNFOLLOWED
            };
            let wait = every
                .saturating_sub(saved_at.elapsed())
                .min(lease.renewal_in(self.clock.as_ref()));
            tokio::select! {
                biased;
                () = finished.notified() => return,
                () = lease.changed(self.store.as_ref(), wait) => {}
            }
            let check = match lease.check(self.store.as_ref(), self.clock.as_ref()).await {
                Ok(check) => check,
                Err(e) => {
                    tracing::warn!(error = %e, "turn lease not checked");
                    // Not again at once: the store is failing.
                    tokio::time::sleep(crate::store::ENTRY_POLL).await;
                    continue;
                }
            };
            if check.stop {
                stop.notify_one();
                return;
            }
            // A new follower gets the reply so far at once, then every second.
            let due = match (check.followed, followed) {
                (true, false) => true,
                (true, true) => saved_at.elapsed() >= PROGRESS_FOLLOWED,
                (false, _) => saved_at.elapsed() >= PROGRESS_UNFOLLOWED,
            };
            followed = check.followed;
            if !due {
                continue;
            }
            saved_at = Instant::now();
            let changed = {
                let growing = growing.lock().expect("reply lock");
                (growing.events != saved_events).then(|| (growing.reply.clone(), growing.events))
            };
            let Some((mut reply, events)) = changed else {
                continue;
            };
            reply.running = true;
            // A failure is logged: the turn goes on and its end is saved anyway.
            // Boxed: the keeper lives as long as the turn, the save only a moment.
            if let Err(e) = Box::pin(self.save_reply(session, reply, None)).await {
                tracing::warn!(error = %e, "partial reply not saved");
            }
            (saved_at, saved_events) = (Instant::now(), events);
        }
    }

    /// Puts the reply at the end of the turn's conversation (replacing one saved earlier
    /// while it was running), even if another conversation became current meanwhile (new
    /// chat); not if the conversation was deleted. `memory`: the agent's memory once the
    /// turn is over (the final save).
    async fn save_reply(
        &self,
        turn_session: &ChatSession,
        reply: ChatMessage,
        memory: Option<AgentMemory>,
    ) -> Result<(), StoreError> {
        let found = self
            .store
            .get_chat_session(&turn_session.owner, turn_session.session_id)
            .await?;
        let Some(mut current) = found else {
            return Ok(());
        };
        if let Some(memory) = memory {
            current.memory = memory;
        }
        current.put_reply(reply);
        current.touch(self.now());
        self.store.save_chat_session(&current).await
    }
}

/// What replacing the previous turn could not take back, said before the reply.
fn kept_note(notes: &[String]) -> Option<ChatEvent> {
    if notes.is_empty() {
        return None;
    }
    let kept = notes
        .iter()
        .map(|n| markdown_escape(n))
        .collect::<Vec<_>>()
        .join(" ");
    Some(ChatEvent::Chunk {
        text: format!("_Kept from the replaced message: {kept}_\n\n"),
    })
}

/// The turn's last event for how the relay ended; a reply cut short (an error, a stop) is
/// marked interrupted.
fn last_event(outcome: Outcome, reply: &mut ChatMessage) -> ChatEvent {
    match outcome {
        Some(Ok(usage)) => ChatEvent::Done { usage },
        Some(Err(error)) => {
            reply.interrupted = true;
            error.to_chat_event()
        }
        None => {
            reply.interrupted = true;
            ChatEvent::Done {
                usage: Usage::default(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn future_size<A, B, C, D, E, Fut>(_: fn(A, B, C, D, E) -> Fut) -> usize {
        std::mem::size_of::<Fut>()
    }

    /// Every open chat holds one running turn: its future stays small (saves are boxed,
    /// the transcript moved, events boxed in their channels). It was 6.4 KiB before.
    #[test]
    fn a_running_turn_holds_under_4_kib() {
        let size = future_size(ChatService::run_turn);
        assert!(size < 4096, "run_turn's future is {size} bytes");
    }
}
