// cxx_plugin.cpp - a C++ plugin built with the static galloc and
// galloc::new_delete (rows M4 and M5 for C++): its new and delete, and
// those of the standard containers it uses, go to galloc_global(), which is
// the host executable's override if it has one (M4), else System (M5).
//
// On ELF that takes a host that does not define operator new itself: the
// plugin's definitions then serve the plugin and the libstdc++ it brings
// along (their lookup scope is the host's, then the plugin's own group).
// A host that defines one - a C++ host linked with galloc::new_delete, or
// any host built with AddressSanitizer - serves every module with its
// own, as ELF's rules for the executable's symbols say.  On Windows each
// DLL keeps its own.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "galloc.h"

#define PLUGIN_BUILDING
#include "modules/cxx_plugin.h"

namespace {

constexpr std::size_t default_align = __STDCPP_DEFAULT_NEW_ALIGNMENT__;

struct alignas(64) cache_line {
    unsigned char bytes[64];
};

bool aligned(const void *ptr, std::size_t align) {
    return reinterpret_cast<std::uintptr_t>(ptr) % align == 0;
}

} // namespace

extern "C" {

PLUGIN_API const char *cxx_plugin_global_name(void) {
    return galloc_global()->name;
}

PLUGIN_API void *cxx_plugin_new(std::size_t size, std::size_t align, int fill) {
    void *ptr = align <= default_align ? new unsigned char[size]
                                       : ::operator new(size, std::align_val_t(align));
    std::memset(ptr, fill, size);
    return ptr;
}

PLUGIN_API void cxx_plugin_delete(void *ptr, std::size_t size, std::size_t align) {
    if (align <= default_align)
        delete[] static_cast<unsigned char *>(ptr);
    else
        ::operator delete(ptr, size, std::align_val_t(align));
}

PLUGIN_API int cxx_plugin_containers(void) {
    std::vector<int> v;
    for (int i = 0; i < 1000; i++)
        v.push_back(i);
    std::string s(300, 's');
    std::map<int, std::string> m;
    for (int i = 0; i < 10; i++)
        m[i] = std::string(40, static_cast<char>('a' + i));
    auto shared = std::make_shared<std::vector<long>>(100, 7L);
    std::unique_ptr<cache_line> one(new cache_line());
    std::unique_ptr<cache_line[]> many(new cache_line[4]);
    bool ok = v[999] == 999 && s.size() == 300 && m[9][39] == 'j' && (*shared)[99] == 7 &&
              aligned(one.get(), 64) && aligned(many.get(), 64);
    return ok ? 0 : 1;
}

} // extern "C"
