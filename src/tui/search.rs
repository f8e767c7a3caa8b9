//! `/`: search every lead as you type (company, contact, email, phone in any format, any
//! status). Each keystroke runs one bounded query ([`Store::search`] asks for one page plus
//! one, so the count shows "50+" instead of counting); the queue is not re-read while typing.
//! Enter moves to the results, where the queue's keys act on the found lead (call, results,
//! note, edit, do-not-call) whether or not it is in today's queue; Esc goes back to the queue
//! with its selection where it was.
//!
//! [`Store::search`]: crate::store::Store::search

use super::app::App;
use crate::store::SearchHit;

/// Hits shown; one more is asked for to know there are more.
pub const PAGE: usize = 50;

/// The search line and its results.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    pub text: String,
    pub hits: Vec<SearchHit>,
    /// More than [`PAGE`] leads match ("50+").
    pub more: bool,
    pub selected: usize,
}

impl Search {
    /// The selected hit.
    pub fn current(&self) -> Option<&SearchHit> {
        self.hits.get(self.selected)
    }

    /// "50+" or the number found.
    pub fn count_label(&self) -> String {
        if self.more {
            format!("{PAGE}+")
        } else {
            self.hits.len().to_string()
        }
    }
}

impl App {
    /// `/`: open the search line (again, with its text, when the results are shown).
    pub(crate) fn open_search(&mut self) {
        if self.search.is_none() {
            self.search = Some(Search::default());
        }
        self.filter_editing = true;
    }

    /// Esc: back to the queue, its selection where it was.
    pub(crate) fn close_search(&mut self) {
        self.filter_editing = false;
        if self.search.take().is_some()
            && let Err(e) = self.load_detail()
        {
            self.error = Some(self.say(&e));
        }
    }

    /// Run the search for the text typed so far, keeping the selection on the same lead.
    pub(crate) fn run_search(&mut self) {
        let Some(s) = self.search.as_ref() else {
            return;
        };
        let keep = s.current().map(|h| h.id);
        let found = if s.text.trim().is_empty() {
            Ok(Vec::new())
        } else {
            self.store.search(&s.text, PAGE + 1)
        };
        match found {
            Ok(mut hits) => {
                let more = hits.len() > PAGE;
                hits.truncate(PAGE);
                if let Some(s) = self.search.as_mut() {
                    s.selected = keep
                        .and_then(|id| hits.iter().position(|h| h.id == id))
                        .unwrap_or(0);
                    s.hits = hits;
                    s.more = more;
                }
                if let Err(e) = self.load_detail() {
                    self.error = Some(self.say(&e));
                }
            }
            Err(e) => self.error = Some(self.say_store(&e)),
        }
    }

    /// The lead the keys act on, with the number to dial: the selected hit while searching,
    /// else the selected queue row.
    pub(crate) fn current_lead(&self) -> Option<(i64, Option<String>)> {
        match &self.search {
            Some(s) => s
                .current()
                .map(|h| (h.id, h.phone.clone().or_else(|| h.mobile.clone()))),
            None => self
                .rows
                .get(self.selected)
                .map(|r| (r.id, r.phone.clone())),
        }
    }

    /// How many rows the list on screen has (hits while searching, else the queue window).
    pub(crate) fn list_len(&self) -> usize {
        match &self.search {
            Some(s) => s.hits.len(),
            None => self.rows.len(),
        }
    }

    /// The selected position in the list on screen.
    pub(crate) fn list_selected(&self) -> usize {
        match &self.search {
            Some(s) => s.selected,
            None => self.selected,
        }
    }
}
