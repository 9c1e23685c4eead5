//! (ssr) Mail: the SMTP connection (`Mailer`), the signed links messages carry (`Links`),
//! the background sender that delivers the outbox, and unsubscribing.
//!
//! Messages are rows written with their events (`db::outbox`). Every app server runs a
//! sender; each claims due rows with a lease, so a message goes out once however many run,
//! and a sender that stops mid-way leaves its rows to be claimed again when the lease ends.
//! A message the SMTP server accepted but whose row could not be marked (the database gone
//! at that moment) may be sent again: delivery is at least once.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sha2::Sha256;

use crate::db::outbox::{Attempt, Claimed};
use crate::db::{self, Pool};
use crate::domain::mail::{List, Message, Rendered, render};
use crate::domain::staff::Role;
use crate::domain::text::percent_encode;
use crate::error::AppError;

/// How long a sender holds the messages it claimed: longer than it can take to send them
/// (`CLAIM` messages, each within `SMTP_TIMEOUT`).
const LEASE: Duration = Duration::from_secs(600);
const CLAIM: u32 = 10;
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Attempts before a message is marked failed; the waits between them double from the
/// configured first wait, up to an hour.
const ATTEMPTS: i64 = 8;
const LONGEST_WAIT: Duration = Duration::from_secs(3600);

/// Where mail goes: an SMTP server, or nowhere (messages wait in the outbox for staff to read).
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    described: String,
    first_wait: Duration,
}

impl Mailer {
    /// From `COPYDESK_SMTP_URL` (`smtp://` with STARTTLS required, plain only to this machine;
    /// `smtps://` for TLS from the start; lettre's `?tls=` may say otherwise), the sender's
    /// address, and the wait before the first retry.
    pub fn new(smtp_url: Option<&str>, from: &str, first_wait: Duration) -> Result<Self, String> {
        let from: Mailbox =
            from.parse().map_err(|e| format!("COPYDESK_MAIL_FROM is not a mail address ({from}): {e}"))?;
        let Some(url) = smtp_url.filter(|u| !u.is_empty()) else {
            let described = "not sent (no COPYDESK_SMTP_URL): messages wait in the outbox, at /staff/outbox".to_owned();
            return Ok(Self { transport: None, from, described, first_wait });
        };
        let url = with_tls_default(url);
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| format!("COPYDESK_SMTP_URL is not an SMTP address: {e}"))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let described = format!("sent through {} as {from}", redacted(&url));
        Ok(Self { transport: Some(transport), from, described, first_wait })
    }

    /// For the start-up lines.
    pub fn describe(&self) -> &str {
        &self.described
    }

    pub fn sends(&self) -> bool {
        self.transport.is_some()
    }
}

/// `smtp://` without `?tls=` requires STARTTLS, except to this machine (a local relay).
fn with_tls_default(url: &str) -> String {
    if !url.starts_with("smtp://") || url.contains("tls=") {
        return url.to_owned();
    }
    let authority = url["smtp://".len()..].split(['/', '?']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    if ["localhost", "127.0.0.1", "[::1]"].contains(&host) {
        return url.to_owned();
    }
    format!("{url}{}tls=required", if url.contains('?') { '&' } else { '?' })
}

/// The URL without its password.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…@{}", &url[..scheme], &url[at + 1..]),
        _ => url.to_owned(),
    }
}

/// Links in messages that act without a sign-in (unsubscribe, confirm), signed with a key
/// derived from the site's secret, so nobody can make them for someone else's address.
#[derive(Clone)]
pub struct Links {
    key: Arc<Vec<u8>>,
    public_url: String,
}

impl Links {
    pub async fn load(pool: &Pool, public_url: &str) -> Result<Self, AppError> {
        let secret = db::settings::client_hash_key(pool).await?;
        let mut derive = Hmac::<Sha256>::new_from_slice(&secret).expect("HMAC takes keys of any length");
        derive.update(b"copydesk mail links");
        let key = derive.finalize().into_bytes().to_vec();
        Ok(Self { key: Arc::new(key), public_url: public_url.trim_end_matches('/').to_owned() })
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    fn mac(&self, purpose: &str, address: &str, list: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        for part in [purpose, address, list] {
            mac.update(part.as_bytes());
            mac.update(b"\n");
        }
        mac
    }

    fn sign(&self, purpose: &str, address: &str, list: &str) -> String {
        URL_SAFE_NO_PAD.encode(&self.mac(purpose, address, list).finalize().into_bytes()[..16])
    }

    /// Whether `signature` is this site's for the link (compared in constant time).
    pub fn verify(&self, purpose: &str, address: &str, list: &str, signature: &str) -> bool {
        let Ok(given) = URL_SAFE_NO_PAD.decode(signature) else { return false };
        given.len() == 16 && self.mac(purpose, address, list).verify_truncated_left(&given).is_ok()
    }

    fn link(&self, path: &str, purpose: &str, address: &str, list: &str) -> String {
        format!(
            "{}{path}?to={}&list={list}&sig={}",
            self.public_url,
            percent_encode(address),
            self.sign(purpose, address, list)
        )
    }

    pub fn unsubscribe_url(&self, address: &str, list: List) -> String {
        self.link("/mail/unsubscribe", UNSUBSCRIBE, address, list.as_str())
    }

    pub fn confirm_url(&self, address: &str) -> String {
        self.link("/mail/confirm", CONFIRM, address, List::Replies.as_str())
    }
}

/// What a signature is for: one cannot stand in for the other.
pub const UNSUBSCRIBE: &str = "unsubscribe";
pub const CONFIRM: &str = "confirm";

/// A stored message as it is sent and as staff read it in the outbox.
pub fn rendered(links: &Links, recipient: &str, list: &str, payload: &str) -> Option<Rendered> {
    let message = Message::from_json(payload)?;
    let list = List::parse(list).unwrap_or(message.list());
    Some(render(&message, links.public_url(), &links.unsubscribe_url(recipient, list)))
}

/// What one round of the sender did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Claims the due messages and sends them, recording each outcome.
pub async fn deliver_due(pool: &Pool, mailer: &Mailer, links: &Links, owner: &str) -> Result<Round, AppError> {
    let mut round = Round::default();
    let Some(transport) = &mailer.transport else { return Ok(round) };
    for claimed in db::outbox::claim(pool, owner, LEASE, CLAIM).await? {
        let outcome = send(transport, mailer, links, &claimed).await;
        let attempt = match &outcome {
            Ok(()) => {
                round.sent += 1;
                Attempt::Sent
            }
            Err(Failure::Permanent(error)) => {
                round.failed += 1;
                tracing::warn!(id = claimed.id, %error, "a message was refused for good");
                Attempt::Final("failed", error)
            }
            Err(Failure::Transient(error)) if claimed.attempts + 1 >= ATTEMPTS => {
                round.failed += 1;
                tracing::warn!(id = claimed.id, %error, attempts = ATTEMPTS, "a message failed at every attempt");
                Attempt::Final("failed", error)
            }
            Err(Failure::Transient(error)) => {
                round.retried += 1;
                let wait = backoff(mailer.first_wait, claimed.attempts);
                tracing::info!(id = claimed.id, %error, wait_secs = wait.as_secs(), "a message will be tried again");
                Attempt::Retry(error, db::now() + wait)
            }
        };
        if !db::outbox::record(pool, claimed.id, owner, attempt).await? {
            tracing::warn!(id = claimed.id, "a message's lease ran out while it was sent");
        }
    }
    Ok(round)
}

/// The wait after attempt number `attempts` (0 for the first) failed.
fn backoff(first: Duration, attempts: i64) -> Duration {
    first.saturating_mul(1 << attempts.clamp(0, 16) as u32).min(LONGEST_WAIT.max(first))
}

enum Failure {
    Permanent(String),
    Transient(String),
}

async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    mailer: &Mailer,
    links: &Links,
    claimed: &Claimed,
) -> Result<(), Failure> {
    let Some(message) = rendered(links, &claimed.recipient, &claimed.list, &claimed.payload) else {
        return Err(Failure::Permanent("the stored message could not be read".into()));
    };
    let to: Mailbox = claimed.recipient.parse().map_err(|_| Failure::Permanent("not a mail address".into()))?;
    let list = List::parse(&claimed.list).unwrap_or(List::Corrections);
    let unsubscribe = links.unsubscribe_url(&claimed.recipient, list);
    let email = lettre::Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(message.subject)
        .date_now()
        .message_id(None)
        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{unsubscribe}>")))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".into(),
        ))
        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("Auto-Submitted"), "auto-generated".into()))
        .multipart(MultiPart::alternative_plain_html(message.text, message.html))
        .map_err(|e| Failure::Permanent(format!("the message could not be built: {e}")))?;
    match transport.send(email).await {
        Ok(_) => Ok(()),
        Err(error) if error.is_permanent() => Err(Failure::Permanent(error.to_string())),
        Err(error) => Err(Failure::Transient(error.to_string())),
    }
}

/// The sender: every second, whatever is due, and every minute the staff digests that are
/// due. Runs until the process ends; without an SMTP server it queues digests and sends
/// nothing.
pub async fn run(pool: Pool, mailer: Arc<Mailer>, links: Links, digest_every: Duration) {
    let owner = crate::domain::tokens::random_token(8);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut ticks: u64 = 0;
    loop {
        tick.tick().await;
        if ticks.is_multiple_of(60)
            && let Err(error) = queue_digests(&pool, links.public_url(), digest_every).await
        {
            tracing::warn!(%error, "the staff digests could not be queued");
        }
        ticks += 1;
        match deliver_due(&pool, &mailer, &links, &owner).await {
            Ok(round) if round != Round::default() => tracing::info!(?round, "mail sent"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "the mail sender could not read the outbox"),
        }
    }
}

/// Queues the digest of waiting work to each member who asked for it and got none in the
/// last `every` (one server claims each); nothing is sent when nothing waits. Returns how
/// many were queued.
#[tracing::instrument(skip_all)]
pub async fn queue_digests(pool: &Pool, site_url: &str, every: Duration) -> Result<usize, AppError> {
    let cut = db::now() - every;
    let due = db::outbox::digests_due(pool, cut).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let counts = db::comments::queue_counts(pool).await?;
    let mut queued = 0;
    for member in due {
        let editor = crate::domain::staff::Role::parse(&member.role).is_some_and(|r| r.allows(Role::Editor));
        let suggestions = if editor { counts.suggestions } else { 0 };
        let message = (counts.pending + counts.reported + suggestions > 0).then(|| Message::Digest {
            comments: counts.pending,
            reports: counts.reported,
            suggestions,
            desk_url: format!("{site_url}/staff/inbox"),
        });
        if db::outbox::queue_digest(pool, member.id, cut, &member.email, message.as_ref()).await? && message.is_some() {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Turns the member's own digest on or off.
#[tracing::instrument(skip_all, fields(staff = staff.id, on))]
pub async fn set_digest(pool: &Pool, staff: &crate::domain::staff::StaffMember, on: bool) -> Result<(), AppError> {
    Ok(db::outbox::set_digest(pool, staff.id, on).await?)
}

pub async fn digest(pool: &Pool, staff: &crate::domain::staff::StaffMember) -> Result<bool, AppError> {
    Ok(db::outbox::digest(pool, staff.id).await?)
}

/// The address and list a signed link names, when its signature is the site's.
pub fn check_link(
    links: &Links,
    purpose: &str,
    to: &str,
    list: &str,
    signature: &str,
) -> Result<(String, List), AppError> {
    let refused = || AppError::invalid("sig", "This link is not valid: copy the whole link from the message.");
    let address = crate::domain::mail::address(to).ok_or_else(refused)?;
    let list = List::parse(list).ok_or_else(refused)?;
    if !links.verify(purpose, &address, list.as_str(), signature) {
        return Err(refused());
    }
    Ok((address, list))
}

/// Stops `list` for the address a signed unsubscribe link names; queued messages of that
/// list to it are dropped. Doing it twice is harmless.
#[tracing::instrument(skip_all)]
pub async fn unsubscribe(pool: &Pool, links: &Links, to: &str, list: &str, signature: &str) -> Result<List, AppError> {
    let (address, list) = check_link(links, UNSUBSCRIBE, to, list, signature)?;
    db::outbox::unsubscribe(pool, &address, list).await?;
    tracing::info!(list = list.as_str(), "unsubscribed");
    Ok(list)
}

/// Turns reply notifications on for the address a signed confirmation link names.
#[tracing::instrument(skip_all)]
pub async fn confirm_replies(pool: &Pool, links: &Links, to: &str, signature: &str) -> Result<(), AppError> {
    let (address, _) = check_link(links, CONFIRM, to, List::Replies.as_str(), signature)?;
    db::outbox::confirm_replies(pool, &address).await?;
    tracing::info!("reply notifications confirmed");
    Ok(())
}

/// The staff outbox: a page of messages, newest first, and how many have each status.
pub async fn outbox(
    pool: &Pool,
    status: Option<&str>,
    page: u32,
) -> Result<(Vec<db::outbox::Row>, bool, Vec<(String, i64)>), AppError> {
    const PER_PAGE: u32 = 50;
    let status = status.filter(|s| ["queued", "sent", "failed", "dropped"].contains(s));
    let mut rows = db::outbox::recent(pool, status, PER_PAGE + 1, super::offset(page, PER_PAGE)).await?;
    let has_next = rows.len() > PER_PAGE as usize;
    rows.truncate(PER_PAGE as usize);
    Ok((rows, has_next, db::outbox::counts(pool).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_smtp_needs_starttls_except_to_this_machine() {
        assert_eq!(with_tls_default("smtp://u:p@mail.example:587"), "smtp://u:p@mail.example:587?tls=required");
        assert_eq!(with_tls_default("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
        assert_eq!(with_tls_default("smtp://localhost:25?x=1"), "smtp://localhost:25?x=1");
        assert_eq!(with_tls_default("smtp://m.example?tls=opportunistic"), "smtp://m.example?tls=opportunistic");
        assert_eq!(with_tls_default("smtps://m.example"), "smtps://m.example");
        assert_eq!(redacted("smtps://user:secret@m.example:465"), "smtps://…@m.example:465");
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        let first = Duration::from_secs(60);
        assert_eq!(backoff(first, 0), Duration::from_secs(60));
        assert_eq!(backoff(first, 2), Duration::from_secs(240));
        assert_eq!(backoff(first, 7), Duration::from_secs(3600));
    }

    #[test]
    fn a_link_is_signed_for_its_address_list_and_purpose() {
        let links = Links { key: Arc::new(b"k".to_vec()), public_url: "https://news.example".into() };
        let url = links.unsubscribe_url("a@b.example", List::Replies);
        assert!(url.starts_with("https://news.example/mail/unsubscribe?to=a%40b.example&list=replies&sig="), "{url}");
        let sig = url.rsplit_once("sig=").unwrap().1;
        assert!(check_link(&links, UNSUBSCRIBE, "A@b.example", "replies", sig).is_ok());
        assert!(check_link(&links, UNSUBSCRIBE, "c@b.example", "replies", sig).is_err(), "another address");
        assert!(check_link(&links, UNSUBSCRIBE, "a@b.example", "corrections", sig).is_err(), "another list");
        assert!(check_link(&links, CONFIRM, "a@b.example", "replies", sig).is_err(), "another purpose");
        assert!(check_link(&links, UNSUBSCRIBE, "a@b.example", "replies", "AAAA").is_err());
    }
}
