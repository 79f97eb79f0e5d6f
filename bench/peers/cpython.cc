// cpython.cc: CPython's own intern table (the interned dict), with
// libpython3 embedded. What is timed is PyUnicode_InternInPlace alone:
// before each timed pass, fresh str objects (never interned, hash not yet
// computed) are made from the keys and kept alive by one extra reference;
// the pass calls PyUnicode_InternInPlace on each, which hashes it (SipHash
// 1-3 in 3.11), looks it up in the interned dict and inserts it when new,
// or swaps in the canonical object when present. Making the objects and
// dropping the duplicates happen outside the timed loop. The handle is
// the canonical object; the adapter keeps one reference to each (interned
// strings are mortal in 3.11 and would leave the dict otherwise).
//
// The interned dict is process-global, so the peer runs in forked
// children of a parent that initialized the interpreter once; there is no
// public lookup that does not insert, so no miss row. Memory: the
// checking child finalizes the interpreter, wraps CPython's MEM and OBJ
// allocators with PyMem_SetAllocator hooks that count live bytes, and
// initializes it again, so every block is counted from birth; the bytes
// held are the live bytes after the build (canonical objects and dict
// growth) minus those before.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <unordered_map>

#include "../workload.h"

namespace ib {
namespace {

pid_t py_ready_pid = 0; // the process whose interpreter state is usable

void py_start() {
    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    config.site_import = 0;
    config.install_signal_handlers = 0;
    PyStatus st = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(st)) {
        std::fprintf(stderr, "cpython: cannot initialize: %s\n",
                     st.err_msg ? st.err_msg : "?");
        std::exit(2);
    }
}

// At the parent's exit: children leave with _exit and never get here.
void py_parent_fini() {
    if (Py_IsInitialized() && py_ready_pid == getpid())
        Py_FinalizeEx();
}

// In the parent, once: the interpreter every child inherits.
void py_parent_init() {
    if (!Py_IsInitialized()) {
        py_start();
        py_ready_pid = getpid();
        std::atexit(py_parent_fini);
    }
}

// In a child: the interpreter after fork.
void py_child_init() {
    if (py_ready_pid != getpid()) {
        PyOS_AfterFork_Child();
        py_ready_pid = getpid();
    }
}

// The counting hooks: live is the sum of the sizes of the blocks the
// wrapped allocators handed out since the hooks went in and not freed.
struct py_hooks {
    PyMemAllocatorEx orig_mem, orig_obj;
    std::unordered_map<void *, size_t> sizes;
    uint64_t live = 0;
} * hooks;

void hook_add(void *p, size_t size) {
    if (p) {
        hooks->sizes[p] = size;
        hooks->live += size;
    }
}

void hook_drop(void *p) {
    auto it = hooks->sizes.find(p);
    if (it != hooks->sizes.end()) {
        hooks->live -= it->second;
        hooks->sizes.erase(it);
    }
}

void *hook_malloc(void *ctx, size_t size) {
    auto o = static_cast<PyMemAllocatorEx *>(ctx);
    void *p = o->malloc(o->ctx, size);
    hook_add(p, size);
    return p;
}

void *hook_calloc(void *ctx, size_t n, size_t size) {
    auto o = static_cast<PyMemAllocatorEx *>(ctx);
    void *p = o->calloc(o->ctx, n, size);
    hook_add(p, n * size);
    return p;
}

void *hook_realloc(void *ctx, void *ptr, size_t size) {
    auto o = static_cast<PyMemAllocatorEx *>(ctx);
    void *p = o->realloc(o->ctx, ptr, size);
    if (p) {
        if (ptr)
            hook_drop(ptr);
        hook_add(p, size);
    }
    return p;
}

void hook_free(void *ctx, void *ptr) {
    auto o = static_cast<PyMemAllocatorEx *>(ctx);
    if (ptr)
        hook_drop(ptr);
    o->free(o->ctx, ptr);
}

// A fresh interpreter whose MEM and OBJ allocations are all counted.
void py_restart_counted() {
    Py_FinalizeEx();
    hooks = new py_hooks;
    PyMem_GetAllocator(PYMEM_DOMAIN_MEM, &hooks->orig_mem);
    PyMem_GetAllocator(PYMEM_DOMAIN_OBJ, &hooks->orig_obj);
    PyMemAllocatorEx mem = {&hooks->orig_mem, hook_malloc, hook_calloc,
                            hook_realloc, hook_free};
    PyMemAllocatorEx obj = {&hooks->orig_obj, hook_malloc, hook_calloc,
                            hook_realloc, hook_free};
    PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &mem);
    PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &obj);
    py_start();
}

// Invariant: held_ holds one reference to every canonical string this
// peer made (the fresh objects that were new); during a pass, fresh_[i]
// holds two references (ours and the extra one) and slots_[i] is what
// PyUnicode_InternInPlace made of it.
class cpython_peer final : public peer {
  public:
    explicit cpython_peer(bool measure) : measure_(measure) {
        py_child_init();
        if (measure_)
            py_restart_counted();
        base_ = measure_ ? hooks->live : 0;
    }
    ~cpython_peer() override {
        finish_pass();
        for (PyObject *o : held_)
            Py_DECREF(o);
    }
    void prepare(const std::vector<std::string_view> &keys) override {
        finish_pass();
        fresh_.reserve(keys.size());
        for (std::string_view k : keys) {
            PyObject *o = PyUnicode_FromStringAndSize(
                k.data(), static_cast<Py_ssize_t>(k.size()));
            if (!o)
                PyErr_Clear(); // not UTF-8: intern() reports the failure
            else
                Py_INCREF(o);
            fresh_.push_back(o);
        }
        slots_ = fresh_;
        cursor_ = 0;
    }
    const void *intern(const char *, size_t) override {
        PyObject **slot = &slots_[cursor_++];
        if (!*slot)
            return nullptr;
        PyUnicode_InternInPlace(slot);
        return *slot;
    }
    void finish_pass() override {
        for (size_t i = 0; i < fresh_.size(); i++) {
            PyObject *f = fresh_[i];
            if (!f)
                continue;
            if (i < cursor_ && slots_[i] == f) {
                held_.push_back(f); // new: ours is the held reference
                Py_DECREF(f);       // the extra one
            } else if (i < cursor_) {
                Py_DECREF(slots_[i]); // the canonical, increfed for us
                Py_DECREF(f);         // InternInPlace dropped the other
            } else {
                Py_DECREF(f); // never interned: both references
                Py_DECREF(f);
            }
        }
        fresh_.clear();
        slots_.clear();
        cursor_ = 0;
    }
    bool find(const char *, size_t) override {
        return false; // no public lookup without insertion
    }
    uint64_t bytes_held() override {
        return measure_ && hooks->live > base_ ? hooks->live - base_ : 0;
    }
    std::string_view canonical(const void *handle, size_t) override {
        Py_ssize_t n = 0;
        const char *s = PyUnicode_AsUTF8AndSize(
            static_cast<PyObject *>(const_cast<void *>(handle)), &n);
        if (!s) {
            PyErr_Clear();
            return std::string_view();
        }
        return std::string_view(s, size_t(n));
    }

  private:
    bool measure_;
    uint64_t base_ = 0;
    std::vector<PyObject *> fresh_, slots_, held_;
    size_t cursor_ = 0;
};

// The entry's functions make sure the parent's interpreter exists before
// any child is forked.
template <class F> auto with_python(F f) {
    return [f](benchmark::State &s, const bench_case &c) {
        py_parent_init();
        f(s, c);
    };
}

void cpython_add(std::vector<peer_entry> &all) {
    char note[128];
    std::snprintf(note, sizeof note,
                  "CPython %s PyUnicode_InternInPlace (embedded; forked "
                  "children)",
                  PY_VERSION);
    peer_entry e = peer_make_entry<cpython_peer>(
        106, "cpython_intern", memory_method::cpython_hooks, true, false, note,
        [](bool measure) { return std::make_unique<cpython_peer>(measure); });
    e.build = with_python(e.build);
    e.build_in_child = with_python(e.build_in_child);
    e.hit = with_python(e.hit);
    all.push_back(std::move(e));
}

peer_registrar cpython_registrar(cpython_add);

} // namespace
} // namespace ib
