// support.cc: cases, forked children, memory counters and the registry.
#include "support.h"

#include <malloc.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>

#ifndef INTERNBENCH_CASES_DIR
#error "INTERNBENCH_CASES_DIR must be set by the build"
#endif
#ifndef INTERNBENCH_VECTORS_DIR
#error "INTERNBENCH_VECTORS_DIR must be set by the build"
#endif

namespace ib {

const char *memory_method_name(memory_method m) {
    switch (m) {
    case memory_method::table_stats:
        return "mem:table-allocator";
    case memory_method::operator_new:
        return "mem:operator-new";
    case memory_method::malloc_stats:
        return "mem:mallinfo2";
    case memory_method::cpython_hooks:
        return "mem:PyMem-hooks";
    }
    return "mem:?";
}

static std::string env_or(const char *var, const char *fallback) {
    const char *v = std::getenv(var);
    return v && *v ? v : fallback;
}

// The strings of d (in order when order is not NULL) as a key list.
static key_list case_keys(const case_data &d, const uint32_t *order,
                          bool *has_nul) {
    key_list k;
    k.views.reserve(d.count);
    for (size_t i = 0; i < d.count; i++) {
        size_t j = order ? order[i] : i;
        std::string_view v(d.bytes + d.offset[j], d.len[j]);
        k.views.push_back(v);
        k.ptr.push_back(v.data());
        k.len.push_back(v.size());
        k.bytes += v.size();
        *has_nul |= v.find('\0') != std::string_view::npos;
    }
    return k;
}

std::string case_name(const case_spec &spec) {
    engine_case_spec es = {spec.value.c_str(), spec.lines, nullptr, nullptr};
    char buf[256];
    engine_case_name(&es, buf, sizeof buf);
    return buf;
}

const bench_case &case_get(const case_spec &spec) {
    static std::map<std::pair<std::string, bool>, std::unique_ptr<bench_case>>
        loaded;
    auto key = std::make_pair(spec.value, spec.lines);
    auto it = loaded.find(key);
    if (it != loaded.end())
        return *it->second;
    auto c = std::make_unique<bench_case>();
    c->name = case_name(spec);
    std::string cases = env_or("INTERNBENCH_CASES_DIR", INTERNBENCH_CASES_DIR);
    std::string vectors =
        env_or("INTERNBENCH_VECTORS_DIR", INTERNBENCH_VECTORS_DIR);
    engine_dirs dirs = {cases.c_str(), vectors.c_str()};
    engine_case_spec es = {spec.value.c_str(), spec.lines, nullptr, nullptr};
    engine_error err;
    c->loaded = true;
    c->status = engine_case_load(&es, &dirs, &c->c, &err);
    if (c->status != ENGINE_OK) {
        c->error = err.message;
    } else if (c->c.vector_note[0]) {
        c->status = ENGINE_ECHECK;
        c->error = c->name + ", vector: " + c->c.vector_note;
    }
    if (c->error.empty()) {
        c->keys = case_keys(c->c.d, nullptr, &c->has_nul);
        c->shuffled = case_keys(c->c.d, c->c.order, &c->has_nul);
        c->misses = case_keys(c->c.miss, nullptr, &c->has_nul);
    }
    return *loaded.emplace(key, std::move(c)).first->second;
}

static size_t error_count;

void skip_with_error(benchmark::State &state, const std::string &why) {
    error_count++;
    state.SkipWithError(why.c_str());
}

size_t errors_reported() {
    return error_count;
}

int64_t now_ns() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void write_all(int fd, const void *buf, size_t size) {
    const char *p = static_cast<const char *>(buf);
    while (size) {
        ssize_t w = write(fd, p, size);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(3);
        p += w;
        size -= size_t(w);
    }
}

static bool read_all(int fd, void *buf, size_t size) {
    char *p = static_cast<char *>(buf);
    while (size) {
        ssize_t r = read(fd, p, size);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        p += r;
        size -= size_t(r);
    }
    return true;
}

static std::string wait_text(int pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return "";
    if (WIFSIGNALED(status))
        return "child killed by signal " + std::to_string(WTERMSIG(status));
    return "child exited with status " + std::to_string(WEXITSTATUS(status));
}

// The child leaves with _exit: no atexit handlers, no destructors of the
// parent's objects, no leak check of memory the parent owns.
bool fork_call(const std::function<void(int fd)> &child, void *out, size_t size,
               std::string *err) {
    int fds[2];
    if (pipe(fds) != 0) {
        *err = std::string("pipe: ") + std::strerror(errno);
        return false;
    }
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid < 0) {
        *err = std::string("fork: ") + std::strerror(errno);
        close(fds[0]);
        close(fds[1]);
        return false;
    }
    if (pid == 0) {
        close(fds[0]);
        child(fds[1]);
        _exit(0);
    }
    close(fds[1]);
    bool ok = read_all(fds[0], out, size);
    close(fds[0]);
    std::string w = wait_text(pid);
    if (!ok || !w.empty()) {
        *err = w.empty() ? "child wrote no result" : w;
        return false;
    }
    return true;
}

fork_worker::~fork_worker() {
    stop();
}

bool fork_worker::start(const std::function<void()> &setup,
                        const std::function<int64_t(int)> &serve,
                        std::string *err) {
    int down[2], up[2];
    if (pipe(down) != 0 || pipe(up) != 0) {
        *err = std::string("pipe: ") + std::strerror(errno);
        return false;
    }
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid < 0) {
        *err = std::string("fork: ") + std::strerror(errno);
        return false;
    }
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        setup();
        int64_t ready = 0;
        write_all(up[1], &ready, sizeof ready);
        int cmd;
        while (read_all(down[0], &cmd, sizeof cmd) && cmd != 0) {
            int64_t ns = serve(cmd);
            write_all(up[1], &ns, sizeof ns);
        }
        _exit(0);
    }
    close(down[0]);
    close(up[1]);
    pid_ = pid;
    to_child_ = down[1];
    from_child_ = up[0];
    int64_t ready;
    if (!read_all(from_child_, &ready, sizeof ready)) {
        stop();
        *err = "the worker died while building";
        return false;
    }
    return true;
}

int64_t fork_worker::pass(int cmd) {
    int64_t ns;
    if (pid_ < 0 || write(to_child_, &cmd, sizeof cmd) != sizeof cmd ||
        !read_all(from_child_, &ns, sizeof ns))
        return -1;
    return ns;
}

void fork_worker::stop() {
    if (pid_ < 0)
        return;
    int quit = 0;
    if (write(to_child_, &quit, sizeof quit) != sizeof quit)
        kill(pid_, SIGKILL);
    close(to_child_);
    close(from_child_);
    wait_text(pid_);
    pid_ = -1;
}

std::vector<peer_entry> &peer_registry() {
    static std::vector<peer_entry> all;
    return all;
}

peer_registrar::peer_registrar(void (*add)(std::vector<peer_entry> &)) {
    add(peer_registry());
}

// ---- memory ----------------------------------------------------------

uint64_t malloc_live_bytes() {
    struct mallinfo2 mi = mallinfo2();
    return uint64_t(mi.uordblks) + uint64_t(mi.hblkhd);
}

string_arena::~string_arena() {
    for (char *c : chunks_)
        ::operator delete(c);
}

char *string_arena::new_chunk(size_t size) {
    // the vector's room first: a chunk is never held without its entry
    try {
        chunks_.reserve(chunks_.size() + 1);
    } catch (const std::bad_alloc &) {
        return nullptr;
    }
    char *c = static_cast<char *>(::operator new(size, std::nothrow));
    if (c) {
        chunks_.push_back(c);
        held_ += size;
    }
    return c;
}

const char *string_arena::store(const char *key, size_t len) {
    if (size_t(limit_ - cursor_) < len + 1) {
        size_t regular = std::min(std::max(held_ >> growth_shift, min_chunk),
                                  size_t(max_chunk));
        if (len + 1 > regular / 4 || len + 1 > own_record) {
            // a chunk of its own: the current chunk's tail stays in use
            char *own = new_chunk(len + 1);
            if (!own)
                return nullptr;
            std::memcpy(own, key, len);
            own[len] = '\0';
            return own;
        }
        char *c = new_chunk(regular);
        if (!c)
            return nullptr;
        cursor_ = c;
        limit_ = c + regular;
    }
    char *s = cursor_;
    std::memcpy(s, key, len);
    s[len] = '\0';
    cursor_ += len + 1;
    return s;
}

} // namespace ib
