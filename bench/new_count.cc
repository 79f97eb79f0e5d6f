// new_count.cc: this binary's global operator new and delete, counting
// the live bytes every C++ allocation holds (the memory of the std, Abseil
// and tsl peers: ib::new_live_bytes before and after a build).
//
// Invariant: every block handed out is preceded by a 16-byte header whose
// first word is the size asked for, so deletes are counted exactly with or
// without a size; live is the sum of the sizes of the blocks not yet
// deleted. The benchmarks are single-threaded, so live is a plain counter.
#include <cstdint>
#include <cstdlib>
#include <new>

#include "peers/peer.h"

namespace {

uint64_t live;

constexpr size_t header = 16;

void *count_alloc(size_t size, size_t align) {
    if (align < header)
        align = header;
    if (size > SIZE_MAX - align)
        return nullptr;
    void *base = nullptr;
    if (align == header)
        base = std::malloc(size + header);
    else if (posix_memalign(&base, align, size + align) != 0)
        base = nullptr;
    if (!base)
        return nullptr;
    char *p = static_cast<char *>(base) + align;
    reinterpret_cast<size_t *>(p - header)[0] = size;
    reinterpret_cast<size_t *>(p - header)[1] = align;
    live += size;
    return p;
}

void count_free(void *ptr) {
    if (!ptr)
        return;
    char *p = static_cast<char *>(ptr);
    size_t size = reinterpret_cast<size_t *>(p - header)[0];
    size_t align = reinterpret_cast<size_t *>(p - header)[1];
    live -= size;
    std::free(p - align);
}

void *count_new(size_t size, size_t align) {
    void *p = count_alloc(size, align);
    if (!p)
        throw std::bad_alloc();
    return p;
}

} // namespace

uint64_t ib::new_live_bytes() {
    return live;
}

void *operator new(size_t size) {
    return count_new(size, header);
}
void *operator new[](size_t size) {
    return count_new(size, header);
}
void *operator new(size_t size, const std::nothrow_t &) noexcept {
    return count_alloc(size, header);
}
void *operator new[](size_t size, const std::nothrow_t &) noexcept {
    return count_alloc(size, header);
}
void *operator new(size_t size, std::align_val_t al) {
    return count_new(size, size_t(al));
}
void *operator new[](size_t size, std::align_val_t al) {
    return count_new(size, size_t(al));
}
void *operator new(size_t size, std::align_val_t al,
                   const std::nothrow_t &) noexcept {
    return count_alloc(size, size_t(al));
}
void *operator new[](size_t size, std::align_val_t al,
                     const std::nothrow_t &) noexcept {
    return count_alloc(size, size_t(al));
}
void operator delete(void *p) noexcept {
    count_free(p);
}
void operator delete[](void *p) noexcept {
    count_free(p);
}
void operator delete(void *p, size_t) noexcept {
    count_free(p);
}
void operator delete[](void *p, size_t) noexcept {
    count_free(p);
}
void operator delete(void *p, const std::nothrow_t &) noexcept {
    count_free(p);
}
void operator delete[](void *p, const std::nothrow_t &) noexcept {
    count_free(p);
}
void operator delete(void *p, std::align_val_t) noexcept {
    count_free(p);
}
void operator delete[](void *p, std::align_val_t) noexcept {
    count_free(p);
}
void operator delete(void *p, size_t, std::align_val_t) noexcept {
    count_free(p);
}
void operator delete[](void *p, size_t, std::align_val_t) noexcept {
    count_free(p);
}
void operator delete(void *p, std::align_val_t,
                     const std::nothrow_t &) noexcept {
    count_free(p);
}
void operator delete[](void *p, std::align_val_t,
                       const std::nothrow_t &) noexcept {
    count_free(p);
}
