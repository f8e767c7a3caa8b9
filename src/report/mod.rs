//! Reports: funnel metrics, comparison and driver, targets and pace, load balance, forecast.
