// cxx.hpp - what the C++ tests of galloc::new_delete share.
#ifndef GALLOC_TEST_CXX_HPP
#define GALLOC_TEST_CXX_HPP

#include <cstddef>

#include "galloc.h"

namespace cxx_test {

constexpr std::size_t default_align = __STDCPP_DEFAULT_NEW_ALIGNMENT__;

// The layout an allocator other than System is asked for when C++ asks
// for (size, align): the request behind a size_t header, as galloc.h
// states it (galloc_new).  {0, 0} if that cannot be computed.
inline galloc_layout new_block_of(std::size_t size, std::size_t align) {
    galloc_layout header = {sizeof(std::size_t), alignof(std::size_t)};
    galloc_layout request = {size, align};
    galloc_layout block = {0, 0};
    (void)galloc_layout_extend(header, request, &block, nullptr);
    return block;
}

// A compiler may elide a new/delete pair whose block never escapes (clang
// does at -O2), and warns about a mismatch it can see: opaque() hides
// where a pointer came from, escape() makes an object's blocks escape.
template <class T> T *opaque(T *ptr) {
    T *volatile hidden = ptr;
    return hidden;
}

inline const void *volatile escaped;
template <class T> void escape(T &object) {
    escaped = &object;
}

} // namespace cxx_test

#endif
