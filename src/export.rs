//! Export of leads, activities and calendars.
