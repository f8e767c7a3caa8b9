//! Touches on other channels than a dialed call (SPEC §2a): an email sent or answered, a
//! LinkedIn or SMS message, a letter, an inbound call. Each is a touch of the engagement flow:
//! an outbound one counts like an attempt without a conversation (the cadence moves the next
//! call on, and six such touches in a row park the lead as `pending`); an inbound one (a reply,
//! an inbound call) is a conversation (the unanswered count starts again). Neither is a call
//! result: the reports' call counts leave them out.

use super::Channel;
use crate::i18n::Lang;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TouchKind {
    EmailSent,
    EmailReply,
    Linkedin,
    LinkedinReply,
    Sms,
    SmsReply,
    Letter,
    InboundCall,
}

impl TouchKind {
    /// Every kind, in the TUI's ←/→ order.
    pub const ALL: [TouchKind; 8] = [
        TouchKind::EmailSent,
        TouchKind::EmailReply,
        TouchKind::Linkedin,
        TouchKind::LinkedinReply,
        TouchKind::Sms,
        TouchKind::SmsReply,
        TouchKind::Letter,
        TouchKind::InboundCall,
    ];

    /// The key stored as the activity's reason and typed on the command line.
    pub fn key(self) -> &'static str {
        match self {
            TouchKind::EmailSent => "email_sent",
            TouchKind::EmailReply => "email_reply",
            TouchKind::Linkedin => "linkedin_sent",
            TouchKind::LinkedinReply => "linkedin_reply",
            TouchKind::Sms => "sms_sent",
            TouchKind::SmsReply => "sms_reply",
            TouchKind::Letter => "letter_sent",
            TouchKind::InboundCall => "inbound_call",
        }
    }

    /// The activity's channel.
    pub fn channel(self) -> Channel {
        match self {
            TouchKind::EmailSent | TouchKind::EmailReply => Channel::Email,
            TouchKind::Linkedin | TouchKind::LinkedinReply => Channel::Linkedin,
            TouchKind::Sms | TouchKind::SmsReply => Channel::Sms,
            TouchKind::Letter => Channel::Other,
            TouchKind::InboundCall => Channel::Call,
        }
    }

    /// The prospect reached out (a conversation), rather than the rep.
    pub fn inbound(self) -> bool {
        matches!(
            self,
            TouchKind::EmailReply
                | TouchKind::LinkedinReply
                | TouchKind::SmsReply
                | TouchKind::InboundCall
        )
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (en, ja) = match self {
            TouchKind::EmailSent => ("Email sent", "メール送信"),
            TouchKind::EmailReply => ("Email reply", "メール返信あり"),
            TouchKind::Linkedin => ("LinkedIn message", "LinkedIn 送信"),
            TouchKind::LinkedinReply => ("LinkedIn reply", "LinkedIn 返信あり"),
            TouchKind::Sms => ("SMS sent", "SMS 送信"),
            TouchKind::SmsReply => ("SMS reply", "SMS 返信あり"),
            TouchKind::Letter => ("Letter sent", "手紙・DM 送付"),
            TouchKind::InboundCall => ("Inbound call", "着信(先方から)"),
        };
        lang.pick(en, ja)
    }

    /// The kind stored under `key` (an activity's reason), if it is one.
    pub fn from_key(key: &str) -> Option<TouchKind> {
        TouchKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

impl FromStr for TouchKind {
    type Err = String;

    /// `email`, `email-reply`, `linkedin`, `linkedin-reply`, `sms`, `sms-reply`, `letter`,
    /// `inbound` (or the stored keys).
    fn from_str(s: &str) -> Result<Self, String> {
        let k = s.trim().to_ascii_lowercase().replace('-', "_");
        let kind = match k.as_str() {
            "email" | "email_sent" => TouchKind::EmailSent,
            "email_reply" | "reply" => TouchKind::EmailReply,
            "linkedin" | "linkedin_sent" => TouchKind::Linkedin,
            "linkedin_reply" => TouchKind::LinkedinReply,
            "sms" | "sms_sent" => TouchKind::Sms,
            "sms_reply" => TouchKind::SmsReply,
            "letter" | "letter_sent" | "dm" => TouchKind::Letter,
            "inbound" | "inbound_call" => TouchKind::InboundCall,
            _ => {
                return Err(format!(
                    "'{}' is not a touch: email, email-reply, linkedin, linkedin-reply, sms, sms-reply, letter or inbound",
                    super::text::sanitize_line(s)
                ));
            }
        };
        Ok(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_key_and_its_short_name() {
        for k in TouchKind::ALL {
            assert_eq!(TouchKind::from_key(k.key()), Some(k));
            assert_eq!(k.key().parse::<TouchKind>(), Ok(k));
        }
        assert_eq!(
            "email-reply".parse::<TouchKind>(),
            Ok(TouchKind::EmailReply)
        );
        assert_eq!("Inbound".parse::<TouchKind>(), Ok(TouchKind::InboundCall));
        assert!(
            "fax"
                .parse::<TouchKind>()
                .unwrap_err()
                .contains("'fax' is not a touch")
        );
    }

    #[test]
    fn replies_and_inbound_calls_are_inbound_the_rest_outbound() {
        let inbound: Vec<_> = TouchKind::ALL.into_iter().filter(|k| k.inbound()).collect();
        assert_eq!(
            inbound,
            [
                TouchKind::EmailReply,
                TouchKind::LinkedinReply,
                TouchKind::SmsReply,
                TouchKind::InboundCall
            ]
        );
        assert_eq!(TouchKind::Letter.channel(), Channel::Other);
        assert_eq!(TouchKind::InboundCall.channel(), Channel::Call);
    }
}
