//! The `Store` conformance cases of lists, run on every store through `store_conformance!`
//! (they are re-exported by `store_conformance.rs`).

use std::sync::Arc;

use server::{
    domain::{ListColor, ListId, ListName, TodoList, UserId},
    store::{Store, StoreError},
};

fn user(sub: &str) -> UserId {
    UserId::from_verified_sub(sub)
}

pub fn list(owner: &str, name: &str) -> TodoList {
    let at = server::domain::Clock::now(&server::domain::SystemClock);
    TodoList {
        owner: user(owner),
        id: ListId::new(),
        name: ListName::parse(name).unwrap(),
        color: ListColor::Teal,
        order: 1,
        inbox: false,
        created_at: at,
        updated_at: at,
        version: 1,
    }
}

fn renamed(list: &TodoList, name: &str) -> TodoList {
    TodoList {
        name: ListName::parse(name).unwrap(),
        version: list.version + 1,
        ..list.clone()
    }
}

pub async fn lists_are_created_read_updated_and_deleted_by_their_owner(store: Arc<dyn Store>) {
    let work = list("lena", "Work");
    let home = list("lena", "Home");
    store.create_list_within(&work, 300).await.unwrap();
    store.create_list_within(&home, 300).await.unwrap();
    store
        .create_list_within(&list("lenard", "Work"), 300)
        .await
        .unwrap();
    assert_eq!(store.get_list(&work.owner, work.id).await.unwrap(), work);
    let mut listed = store.list_lists(&user("lena")).await.unwrap();
    listed.sort_by_key(|l| l.id);
    assert_eq!(listed, vec![work.clone(), home.clone()]);
    assert_eq!(
        store.create_list_within(&work, 300).await,
        Err(StoreError::AlreadyExists)
    );

    let mut changed = work.clone();
    changed.color = ListColor::Red;
    changed.order = -4;
    changed.version = 2;
    store.update_list(&changed, 1).await.unwrap();
    assert_eq!(store.get_list(&work.owner, work.id).await.unwrap(), changed);
    assert_eq!(
        store.update_list(&changed, 1).await,
        Err(StoreError::VersionConflict { current: 2 }),
        "a stale version"
    );

    // Another owner's id is a missing one, whatever is asked.
    let bob = user("bob");
    assert_eq!(
        store.get_list(&bob, work.id).await,
        Err(StoreError::NotFound)
    );
    let stolen = TodoList {
        owner: bob.clone(),
        version: 3,
        ..changed.clone()
    };
    assert_eq!(
        store.update_list(&stolen, 2).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.delete_list(&bob, work.id).await,
        Err(StoreError::NotFound)
    );

    store.delete_list(&work.owner, work.id).await.unwrap();
    assert_eq!(
        store.get_list(&work.owner, work.id).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.delete_list(&work.owner, work.id).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(store.list_lists(&user("lena")).await.unwrap(), vec![home]);
    assert!(store.list_lists(&user("nobody")).await.unwrap().is_empty());
}

pub async fn a_list_name_is_the_owners_once_in_any_case(store: Arc<dyn Store>) {
    let work = list("nina", "Work");
    store.create_list_within(&work, 300).await.unwrap();
    assert_eq!(
        store.create_list_within(&list("nina", "WORK"), 300).await,
        Err(StoreError::NameTaken)
    );
    // Another owner's names are no obstacle.
    store
        .create_list_within(&list("nino", "work"), 300)
        .await
        .unwrap();
    let home = list("nina", "Home");
    store.create_list_within(&home, 300).await.unwrap();
    assert_eq!(
        store.update_list(&renamed(&home, "wOrK"), 1).await,
        Err(StoreError::NameTaken),
        "a rename onto another list's name"
    );
    assert_eq!(store.get_list(&home.owner, home.id).await.unwrap(), home);
    // A list may change the case of its own name.
    let work2 = renamed(&work, "work");
    store.update_list(&work2, 1).await.unwrap();
    // A rename frees the old name; a delete frees the name.
    let office = renamed(&work2, "Office");
    store.update_list(&office, 2).await.unwrap();
    store
        .create_list_within(&list("nina", "Work"), 300)
        .await
        .unwrap();
    store.delete_list(&home.owner, home.id).await.unwrap();
    store
        .create_list_within(&list("nina", "HOME"), 300)
        .await
        .unwrap();
    assert_eq!(
        store.create_list_within(&list("nina", "office"), 300).await,
        Err(StoreError::NameTaken)
    );
}

pub async fn of_concurrent_lists_with_one_name_exactly_one_is_created(store: Arc<dyn Store>) {
    let tasks: Vec<_> = [
        "Errands", "ERRANDS", "errands", "Errands", "errandS", "ErRaNdS",
    ]
    .into_iter()
    .map(|name| {
        let (store, candidate) = (store.clone(), list("omar", name));
        tokio::spawn(async move { store.create_list_within(&candidate, 300).await })
    })
    .collect();
    let mut created = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => created += 1,
            Err(StoreError::NameTaken) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(store.list_lists(&user("omar")).await.unwrap().len(), 1);
}

pub async fn the_inbox_is_created_once_and_the_quota_counts_the_other_lists(store: Arc<dyn Store>) {
    let owner = user("petra");
    let at = server::domain::Clock::now(&server::domain::SystemClock);
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let (store, inbox) = (store.clone(), TodoList::inbox(&owner, at));
            tokio::spawn(async move { store.create_list_within(&inbox, 0).await })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => created += 1,
            Err(StoreError::AlreadyExists) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(created, 1, "one Inbox, however many ask for it at once");
    let inbox = store
        .get_list(&owner, ListId::inbox_of(&owner))
        .await
        .unwrap();
    assert!(inbox.inbox && inbox.name.as_str() == "Inbox");
    assert_eq!(
        store.create_list_within(&list("petra", "inbox"), 300).await,
        Err(StoreError::NameTaken),
        "the Inbox's name is taken"
    );

    // Three lists besides the Inbox, created at once with room for three: exactly three.
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (store, candidate) = (store.clone(), list("petra", &format!("List {i}")));
            tokio::spawn(async move { store.create_list_within(&candidate, 3).await })
        })
        .collect();
    let mut created = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => created.push(()),
            Err(StoreError::LimitReached) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(created.len(), 3);
    let held = store.list_lists(&owner).await.unwrap();
    assert_eq!(held.len(), 4, "three and the Inbox");
    // A delete makes room for one more.
    let gone = held.iter().find(|l| !l.inbox).unwrap();
    store.delete_list(&owner, gone.id).await.unwrap();
    store
        .create_list_within(&list("petra", "One more"), 3)
        .await
        .unwrap();
    assert_eq!(
        store
            .create_list_within(&list("petra", "Too many"), 3)
            .await,
        Err(StoreError::LimitReached)
    );
}
