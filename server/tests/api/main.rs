//! Integration tests: the real router on 127.0.0.1:0 with an isolated data dir per test.

mod action_group;
mod action_group_lambda;
mod agent_harness;
mod auth_tokens;
mod bedrock_agent;
mod bedrock_standin;
mod blob_conformance;
mod chat_api;
mod cognito_auth;
mod durability;
mod dynamodb_app;
mod files_api;
mod helpers;
mod idp_memory;
mod idp_protocol;
mod lambda_runtime;
mod local_agent;
mod local_agent_files;
mod properties;
mod quick_add;
mod server_lambda;
mod store_conformance;
mod tidy;
mod todo_listing;
mod todo_restore;
mod todos_api;
