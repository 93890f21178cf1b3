//! The file stems of the charts, for readers that link to them (the report).

pub const ARTICLE_WALL: &str = "article_wall";
pub const LATENCY: &str = "latency";
pub const IO_SCALING: &str = "io_scaling";
pub const OPEN_LOOP: &str = "open_loop";
pub const MEMORY: &str = "memory";
pub const SWITCH: &str = "switch";
pub const SPAWN: &str = "spawn";
pub const CPU_SPEEDUP: &str = "cpu_speedup";
pub const BLOCKING: &str = "blocking_p99";
pub const SHARED_STATE: &str = "shared_state";
pub const COMPARE: &str = "compare";
