/*
 * N-API surface of the native helpers:
 *   scan(header80: Buffer, start: number, count: number, target32LE: Buffer, maxResults: number,
 *        chipOrder: boolean, impl: 'auto' | 'scalar' | 'sha-ni') → Array<{ nonce: number, hash: Buffer }>
 *   scanMidstate(midstate32: Buffer (H0..H7, words BE), tail12: Buffer (header bytes 64..75),
 *                start, count, target32LE, maxResults, chipOrder, impl) → same as scan
 *   kind() → 'sha-ni' | 'scalar'           (what 'auto' uses on this CPU)
 *   openpty() → { masterFd, slaveFd, slavePath }
 *   closeFd(fd)
 *   tryLock(fd) → boolean                  (exclusive advisory lock; false when another holder has it)
 * Arguments are checked here; a bad argument throws a TypeError/RangeError, never crashes.
 */
#include <node_api.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "file-lock.h"
#include "openpty.h"
#include "scan.h"
#include "sha256.h"

#define CHECK(call)                                                       \
  do {                                                                    \
    if ((call) != napi_ok) {                                              \
      napi_throw_error(env, NULL, "N-API call failed: " #call);           \
      return NULL;                                                        \
    }                                                                     \
  } while (0)

static int shani_ok = 0;

static napi_value make_string(napi_env env, const char *s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

static napi_value kind(napi_env env, napi_callback_info info) {
  (void)info;
  return make_string(env, shani_ok ? "sha-ni" : "scalar");
}

static int get_buffer(napi_env env, napi_value v, size_t expected, const uint8_t **data, const char *what) {
  bool is_buffer = false;
  if (napi_is_buffer(env, v, &is_buffer) != napi_ok || !is_buffer) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a Buffer", what);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  size_t len = 0;
  void *p = NULL;
  napi_get_buffer_info(env, v, &p, &len);
  if (len != expected) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be %zu bytes, got %zu", what, expected, len);
    napi_throw_range_error(env, NULL, msg);
    return 0;
  }
  *data = p;
  return 1;
}

static int get_number(napi_env env, napi_value v, double *out, const char *what) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_number) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a number", what);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  napi_get_value_double(env, v, out);
  return 1;
}

static napi_value scan_common(napi_env env, napi_callback_info info, int from_midstate) {
  size_t argc = 8;
  napi_value argv_all[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv_all, NULL, NULL));
  size_t lead = from_midstate ? 2 : 1;
  if (argc < lead + 5) {
    napi_throw_type_error(env, NULL, from_midstate ? "scanMidstate(midstate32, tail12, start, count, target32LE, maxResults, chipOrder[, impl])"
                                                   : "scan(header80, start, count, target32LE, maxResults, chipOrder[, impl])");
    return NULL;
  }
  const uint8_t *header = NULL, *midstate_bytes = NULL, *tail12 = NULL, *target = NULL;
  if (from_midstate) {
    if (!get_buffer(env, argv_all[0], 32, &midstate_bytes, "midstate")) return NULL;
    if (!get_buffer(env, argv_all[1], 12, &tail12, "tail12")) return NULL;
  } else if (!get_buffer(env, argv_all[0], 80, &header, "header80")) {
    return NULL;
  }
  napi_value *argv = argv_all + lead - 1; /* argv[1..] are the common arguments */
  argc -= lead - 1;
  double start_d, count_d, max_d;
  if (!get_number(env, argv[1], &start_d, "start")) return NULL;
  if (!get_number(env, argv[2], &count_d, "count")) return NULL;
  if (!get_buffer(env, argv[3], 32, &target, "target")) return NULL;
  if (!get_number(env, argv[4], &max_d, "maxResults")) return NULL;
  if (!(start_d >= 0 && start_d <= 4294967295.0 && start_d == (double)(uint32_t)start_d)) {
    napi_throw_range_error(env, NULL, "start must be an integer in [0, 2^32)");
    return NULL;
  }
  if (!(count_d >= 0 && count_d <= 4294967296.0 && count_d == (double)(uint64_t)count_d)) {
    napi_throw_range_error(env, NULL, "count must be an integer in [0, 2^32]");
    return NULL;
  }
  if (!(max_d >= 1 && max_d <= 1048576 && max_d == (double)(uint32_t)max_d)) {
    napi_throw_range_error(env, NULL, "maxResults must be an integer in [1, 2^20]");
    return NULL;
  }
  bool chip_order = false;
  CHECK(napi_get_value_bool(env, argv[5], &chip_order));

  scan_impl impl = shani_ok ? SCAN_IMPL_SHANI : SCAN_IMPL_SCALAR;
  if (argc >= 7) {
    char name[16] = {0};
    size_t n = 0;
    if (napi_get_value_string_utf8(env, argv[6], name, sizeof name, &n) != napi_ok) {
      napi_throw_type_error(env, NULL, "impl must be 'auto', 'scalar' or 'sha-ni'");
      return NULL;
    }
    if (strcmp(name, "scalar") == 0) impl = SCAN_IMPL_SCALAR;
    else if (strcmp(name, "sha-ni") == 0) {
      if (!shani_ok) {
        napi_throw_error(env, NULL, "this CPU has no SHA extensions");
        return NULL;
      }
      impl = SCAN_IMPL_SHANI;
    } else if (strcmp(name, "auto") != 0) {
      napi_throw_type_error(env, NULL, "impl must be 'auto', 'scalar' or 'sha-ni'");
      return NULL;
    }
  }

  uint32_t max_hits = (uint32_t)max_d;
  scan_hit *hits = malloc(sizeof(scan_hit) * max_hits);
  if (!hits) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  uint32_t found;
  if (from_midstate) {
    uint32_t midstate[8];
    for (int w = 0; w < 8; w++) {
      const uint8_t *p = midstate_bytes + 4 * w;
      midstate[w] = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
    }
    found = scan_from_midstate(impl, midstate, tail12, (uint32_t)start_d, (uint64_t)count_d, target, chip_order, hits, max_hits);
  } else {
    found = scan_nonces(impl, header, (uint32_t)start_d, (uint64_t)count_d, target, chip_order, hits, max_hits);
  }

  napi_value result;
  napi_create_array_with_length(env, found, &result);
  for (uint32_t i = 0; i < found; i++) {
    napi_value obj, nonce, hash;
    void *copy = NULL;
    napi_create_object(env, &obj);
    napi_create_uint32(env, hits[i].nonce, &nonce);
    napi_create_buffer_copy(env, 32, hits[i].hash, &copy, &hash);
    napi_set_named_property(env, obj, "nonce", nonce);
    napi_set_named_property(env, obj, "hash", hash);
    napi_set_element(env, result, i, obj);
  }
  free(hits);
  return result;
}

static napi_value scan(napi_env env, napi_callback_info info) { return scan_common(env, info, 0); }
static napi_value scan_midstate(napi_env env, napi_callback_info info) { return scan_common(env, info, 1); }

static napi_value open_pty(napi_env env, napi_callback_info info) {
  (void)info;
  int master = -1, slave = -1;
  char path[256];
  int err = hashdeck_openpty(&master, &slave, path, sizeof path);
  if (err != 0) {
    char msg[128];
    snprintf(msg, sizeof msg, "openpty failed: %s", strerror(err));
    napi_throw_error(env, NULL, msg);
    return NULL;
  }
  napi_value obj, m, s;
  napi_create_object(env, &obj);
  napi_create_int32(env, master, &m);
  napi_create_int32(env, slave, &s);
  napi_set_named_property(env, obj, "masterFd", m);
  napi_set_named_property(env, obj, "slaveFd", s);
  napi_set_named_property(env, obj, "slavePath", make_string(env, path));
  return obj;
}

static napi_value close_fd(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd = -1;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "closeFd(fd) needs a non-negative integer");
    return NULL;
  }
  int err = hashdeck_close_fd(fd);
  if (err != 0) {
    char msg[128];
    snprintf(msg, sizeof msg, "close(%d) failed: %s", fd, strerror(err));
    napi_throw_error(env, NULL, msg);
  }
  return NULL;
}

static napi_value try_lock(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd = -1;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "tryLock(fd) needs a non-negative integer");
    return NULL;
  }
  int r = hashdeck_try_lock(fd);
  if (r != 0 && r != HASHDECK_LOCK_BUSY) {
    char msg[128];
    snprintf(msg, sizeof msg, "lock on fd %d failed: %s", fd, strerror(r));
    napi_throw_error(env, NULL, msg);
    return NULL;
  }
  napi_value out;
  CHECK(napi_get_boolean(env, r == 0, &out));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  shani_ok = sha256_shani_available();
  napi_property_descriptor props[] = {
    {"scan", NULL, scan, NULL, NULL, NULL, napi_default, NULL},
    {"scanMidstate", NULL, scan_midstate, NULL, NULL, NULL, napi_default, NULL},
    {"kind", NULL, kind, NULL, NULL, NULL, napi_default, NULL},
    {"openpty", NULL, open_pty, NULL, NULL, NULL, napi_default, NULL},
    {"closeFd", NULL, close_fd, NULL, NULL, NULL, napi_default, NULL},
    {"tryLock", NULL, try_lock, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
