//! The reverse funnel plan.
