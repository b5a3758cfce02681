//! One message. Assistant markdown goes through the one sanitizing pipeline
//! (`markdown::to_safe_html`); while streaming, only the last unfinished block is rendered
//! again per chunk, the finished blocks before it are rendered once.

use leptos::{html, prelude::*};

use crate::{
    markdown::stable_prefix_len,
    ui::chat::{
        copy::{CopyReply, add_code_buttons},
        plan_card::PlanCardView,
        state::{ChatState, UiMessage},
        tool_card::ToolCardView,
    },
    ui::markdown::{self, to_safe_html},
    wire::chat::ChatRole,
};

#[component]
pub fn MessageBubble(message: UiMessage) -> impl IntoView {
    let chat = expect_context::<ChatState>();
    // Replacing the last turn: only on the current conversation, between turns.
    let can_replace =
        move || !chat.busy.get() && chat.viewing.with(Option::is_none) && chat.replaceable.get();
    if message.role == ChatRole::User {
        let edit = move |_| {
            if let Some(text) = chat.edit_last() {
                chat.draft.set(text);
                if let Some(input) = crate::ui::browser::window()
                    .document()
                    .and_then(|d| d.get_element_by_id("chat-input"))
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
                {
                    let _ = input.focus();
                }
            }
        };
        return view! {
            <div class="bubble user">
                <p>{move || message.text.get()}</p>
                <Show when=move || !message.files.with(Vec::is_empty)>
                    <ul class="chips sent" aria-label="Files sent">
                        {move || {
                            message
                                .files
                                .get()
                                .into_iter()
                                .map(|name| view! { <li class="chip">{name}</li> })
                                .collect_view()
                        }}
                    </ul>
                </Show>
            </div>
            // Beside the bubble, not in it: the bubble's text stays the message.
            <Show when=move || can_replace() && chat.is_last_sent(message.key)>
                <div class="user-actions">
                    <button
                        type="button"
                        class="link edit"
                        aria-label="Edit your last message"
                        on:click=edit
                    >
                        "Edit"
                    </button>
                </div>
            </Show>
        }
        .into_any();
    }
    let stable_len = StoredValue::new(0usize);
    let stable_html = RwSignal::new(String::new());
    let tail_html = RwSignal::new(String::new());
    Effect::new(move |rendered_as_markdown: Option<bool>| {
        // The markdown module came in: what was shown as plain text is rendered again.
        let now_markdown = markdown::ready();
        if rendered_as_markdown.is_some_and(|before| before != now_markdown) {
            stable_len.set_value(0);
            stable_html.set(String::new());
        }
        message.text.with(|text| {
            let cut = stable_prefix_len(text);
            let done = stable_len.get_value();
            if cut > done {
                let finished = to_safe_html(&text[done..cut]);
                stable_html.update(|html| html.push_str(&finished));
                stable_len.set_value(cut);
            }
            tail_html.set(to_safe_html(&text[stable_len.get_value()..]));
        });
        now_markdown
    });
    let typing = move || message.streaming.get() && message.text.with(String::is_empty);
    // After each render of the reply, its code blocks get their copy buttons.
    let rendered = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        stable_html.track();
        tail_html.track();
        if rendered.get().is_some() {
            // After the browser has the new HTML.
            request_animation_frame(move || add_code_buttons(rendered));
        }
    });
    let finished = move || !message.streaming.get() && !message.text.with(String::is_empty);

    view! {
        <div class="bubble assistant" aria-busy=move || message.streaming.get().to_string()>
            <Show when=move || !message.tools.with(Vec::is_empty)>
                <ul class="tools" aria-label="Assistant actions">
                    {move || {
                        message
                            .tools
                            .get()
                            .into_iter()
                            .map(|card| view! { <ToolCardView card /> })
                            .collect_view()
                    }}
                </ul>
            </Show>
            <Show when=typing>
                <span class="typing" role="img" aria-label="The assistant is typing">
                    <i></i>
                    <i></i>
                    <i></i>
                </span>
            </Show>
            <div class="reply" node_ref=rendered>
                <div class="md" inner_html=move || stable_html.get()></div>
                <div class="md" inner_html=move || tail_html.get()></div>
            </div>
            <Show when=finished>
                <div class="message-actions">
                    <CopyReply text=Signal::derive(move || message.text.get()) />
                    <Show when=move || can_replace() && chat.is_last(message.key)>
                        <button
                            type="button"
                            class="link regenerate"
                            on:click=move |_| chat.regenerate()
                        >
                            "Regenerate"
                        </button>
                    </Show>
                </div>
            </Show>
            {move || message.plan.get().map(|card| view! { <PlanCardView card /> })}
            <Show when=move || message.interrupted.get()>
                <p class="interrupted">"(stopped before the end)"</p>
            </Show>
            {move || {
                message
                    .confirm
                    .get()
                    .map(|pending| {
                        let (yes, no) = (pending.action_id.clone(), pending.action_id.clone());
                        view! {
                            <div class="confirm-card" role="group" aria-label="Confirmation">
                                <div
                                    class="md"
                                    inner_html={
                                        let prompt = pending.prompt.clone();
                                        move || to_safe_html(&prompt)
                                    }
                                ></div>
                                <div class="actions">
                                    <button
                                        type="button"
                                        class="danger"
                                        on:click=move |_| chat.answer(message, yes.clone(), true)
                                    >
                                        "Confirm"
                                    </button>
                                    <button
                                        type="button"
                                        on:click=move |_| chat.answer(message, no.clone(), false)
                                    >
                                        "Cancel"
                                    </button>
                                </div>
                            </div>
                        }
                    })
            }}
            {move || {
                message
                    .failure
                    .get()
                    .map(|(text, retryable)| {
                        view! {
                            <div class="chat-error" role="alert">
                                <span>{text}</span>
                                <Show when=move || retryable>
                                    <button
                                        type="button"
                                        class="link"
                                        on:click=move |_| chat.retry()
                                    >
                                        "Retry"
                                    </button>
                                </Show>
                            </div>
                        }
                    })
            }}
        </div>
    }
    .into_any()
}
