// libMedAugTorchRuntime.so exports the functions declared in
// Sources/CTorch/include/ctorch.h, by those names; the loader (Sources/CTorch)
// binds them with dlsym. Nothing imports this target: it is a shared library
// only, so that libtorch is loaded by the commands that need it.
#pragma once
#include "../../CTorch/include/ctorch.h"
