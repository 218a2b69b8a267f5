#pragma once
// The build this binary is: bench's version (the CMake project's) and the commit it was built from (`git describe`
// when it was compiled, util/version.cmake). `bench --version` and results.json's bench_version and bench_commit
// both read it, so a result names the commit its binary was built from, whatever the checkout holds when it runs.

#include <string_view>

namespace bench::util {

// "0.1.0"; "dev" when the build did not say.
std::string_view bench_version();

// `git describe --always --dirty --tags` at build time ("1447ff0", "1447ff0-dirty"); empty when bench was built
// outside a git checkout.
std::string_view bench_commit();

}  // namespace bench::util
