/* open_portable.c: the open table built with its portable group match. */
#define OPEN_PORTABLE 1
#include "open.c"
