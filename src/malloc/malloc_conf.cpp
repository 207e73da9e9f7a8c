// jemalloc's configuration for every program that runs the engine (compiled into each of them:
// jemalloc reads this symbol from the executable at start-up; MALLOC_CONF in the environment
// still overrides it).
//
// thp:always asks the kernel for 2 MB pages for jemalloc's memory (this kernel gives them only
// on request: transparent_hugepage=madvise). A restore builds gigabytes of state at once, and
// with 4 KB pages a fifth of its time was page faults: start-up at 60,000 incidents 635-671 ms
// vs 825-905 ms (docs/PERFORMANCE.md).
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's.
extern const char* malloc_conf;
const char* malloc_conf = "thp:always,metadata_thp:always";
}
