//! `AGENT=stamp`: the benchmark's agent (`make bench`), not one for users. Each turn sends
//! `STAMP_CHUNKS` chunks `STAMP_GAP_MS` apart, each holding the wall-clock time it was sent
//! (Unix nanoseconds), so a client in another process can tell how long our server took to
//! put each event on the socket. With a long gap, a turn is an open, idle chat stream.

use std::time::Duration;

use app::wire::chat::{ChatEvent, Usage};
use async_trait::async_trait;

use super::{Agent, AgentError, EventSink, TurnContext, TurnInput};

pub struct StampAgent {
    pub chunks: usize,
    pub gap: Duration,
}

fn unix_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

#[async_trait]
impl Agent for StampAgent {
    async fn turn(
        &self,
        _: &mut TurnContext,
        _: TurnInput,
        events: &EventSink,
    ) -> Result<Usage, AgentError> {
        for _ in 0..self.chunks {
            tokio::time::sleep(self.gap).await;
            events
                .send(ChatEvent::Chunk {
                    text: format!("{} ", unix_nanos()),
                })
                .await;
        }
        Ok(Usage::default())
    }
}
