//! The coupon widget.

pub fn start() {}
