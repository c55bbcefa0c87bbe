/*
 * N-API surface: derive(passwords, salt, iterations, kernel?) runs synchronously (for worker threads);
 * deriveAsync(...) runs on the libuv pool and returns a Promise. Both return one Buffer of 32-byte keys.
 * deriveSha1(secrets, salt, iterations, kernel?) is the PBKDF2-HMAC-SHA1 stage (the whole cost of a guess
 * on a backup older than iOS 10.2). kernels() and sha1Kernels() list what is compiled in; vectorMix()
 * times nothing itself: it runs the instruction mix that bounds the SIMD kernels (see peak.c).
 */
#include <node_api.h>
#include <stdlib.h>
#include <string.h>

#include "peak.h"
#include "sha1.h"
#include "sha256.h"

#define CHECK(env, call)                                     \
  do {                                                       \
    if ((call) != napi_ok) {                                 \
      napi_throw_error((env), NULL, "native call failed: " #call); \
      return NULL;                                           \
    }                                                        \
  } while (0)

typedef struct {
  const pbkdf2_kernel *kernel;
  const sha1_kernel *sha1;
  size_t count, salt_len;
  uint8_t **passwords; /* each points into `bytes` */
  size_t *lengths;
  uint8_t *bytes, *salt, *out;
  uint32_t iterations;
  napi_async_work work;
  napi_deferred deferred;
} job;

static void job_free(job *j) {
  if (!j) return;
  free(j->passwords);
  free(j->lengths);
  free(j->bytes);
  free(j->salt);
  free(j->out);
  free(j);
}

static int fail(napi_env env, job *j, const char *message) {
  job_free(j);
  napi_throw_type_error(env, NULL, message);
  return 0;
}

/* Copies the arguments so the job owns them (async work must not touch JS memory). */
static job *job_from_args(napi_env env, napi_callback_info info, bool sha1) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3) {
    fail(env, NULL, "derive(passwords, salt, iterations, kernel?) needs three arguments");
    return NULL;
  }
  job *j = calloc(1, sizeof *j);
  uint32_t count = 0;
  bool is_array = false;
  napi_is_array(env, argv[0], &is_array);
  if (!is_array || napi_get_array_length(env, argv[0], &count) != napi_ok || count == 0) {
    fail(env, j, "passwords must be a non-empty array of Buffers");
    return NULL;
  }
  j->count = count;
  j->passwords = calloc(count, sizeof *j->passwords);
  j->lengths = calloc(count, sizeof *j->lengths);
  size_t total = 0;
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    void *data;
    size_t len;
    bool is_buffer = false;
    napi_get_element(env, argv[0], i, &item);
    napi_is_buffer(env, item, &is_buffer);
    if (!is_buffer || napi_get_buffer_info(env, item, &data, &len) != napi_ok) {
      fail(env, j, "passwords must be a non-empty array of Buffers");
      return NULL;
    }
    j->lengths[i] = len;
    total += len;
  }
  j->bytes = malloc(total ? total : 1);
  for (uint32_t i = 0, offset = 0; i < count; i++) {
    napi_value item;
    void *data;
    size_t len;
    napi_get_element(env, argv[0], i, &item);
    napi_get_buffer_info(env, item, &data, &len);
    if (len) memcpy(j->bytes + offset, data, len);
    j->passwords[i] = j->bytes + offset;
    offset += len;
  }
  void *salt;
  bool salt_is_buffer = false;
  napi_is_buffer(env, argv[1], &salt_is_buffer);
  if (!salt_is_buffer || napi_get_buffer_info(env, argv[1], &salt, &j->salt_len) != napi_ok) {
    fail(env, j, "salt must be a Buffer");
    return NULL;
  }
  j->salt = malloc(j->salt_len ? j->salt_len : 1);
  if (j->salt_len) memcpy(j->salt, salt, j->salt_len);
  double iterations = 0;
  if (napi_get_value_double(env, argv[2], &iterations) != napi_ok || iterations < 1 || iterations > 4294967295.0 ||
      iterations != (double)(uint32_t)iterations) {
    fail(env, j, "iterations must be an integer from 1 to 2^32-1");
    return NULL;
  }
  j->iterations = (uint32_t)iterations;
  j->kernel = pbkdf2_kernel_default();
  j->sha1 = sha1_kernel_default();
  napi_valuetype kind = napi_undefined;
  if (argc >= 4) napi_typeof(env, argv[3], &kind);
  if (kind == napi_string) {
    char name[32];
    size_t len;
    napi_get_value_string_utf8(env, argv[3], name, sizeof name, &len);
    int (*supported)(void) = NULL;
    if (sha1) {
      j->sha1 = sha1_kernel_by_name(name);
      if (j->sha1) supported = j->sha1->supported;
    } else {
      j->kernel = pbkdf2_kernel_by_name(name);
      if (j->kernel) supported = j->kernel->supported;
    }
    if (!supported || !supported()) {
      fail(env, j, "unknown kernel, or this CPU cannot run it");
      return NULL;
    }
  }
  j->out = malloc(32 * j->count);
  return j;
}

static void job_run(job *j) {
  pbkdf2_sha256_batch(j->kernel, (const uint8_t *const *)j->passwords, j->lengths, j->count, j->salt, j->salt_len,
                      j->iterations, j->out);
}

static napi_value job_result(napi_env env, job *j) {
  napi_value buffer;
  void *data;
  if (napi_create_buffer_copy(env, 32 * j->count, j->out, &data, &buffer) != napi_ok) return NULL;
  return buffer;
}

static napi_value derive(napi_env env, napi_callback_info info) {
  job *j = job_from_args(env, info, false);
  if (!j) return NULL;
  job_run(j);
  napi_value result = job_result(env, j);
  job_free(j);
  return result;
}

static void async_execute(napi_env env, void *data) {
  (void)env;
  job_run(data);
}

static void async_complete(napi_env env, napi_status status, void *data) {
  job *j = data;
  napi_value result = status == napi_ok ? job_result(env, j) : NULL;
  if (result) {
    napi_resolve_deferred(env, j->deferred, result);
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, "native PBKDF2 job failed", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, j->deferred, error);
  }
  napi_delete_async_work(env, j->work);
  job_free(j);
}

static napi_value derive_async(napi_env env, napi_callback_info info) {
  job *j = job_from_args(env, info, false);
  if (!j) return NULL;
  napi_value promise, name;
  CHECK(env, napi_create_promise(env, &j->deferred, &promise));
  CHECK(env, napi_create_string_utf8(env, "reclaim:pbkdf2", NAPI_AUTO_LENGTH, &name));
  CHECK(env, napi_create_async_work(env, NULL, name, async_execute, async_complete, j, &j->work));
  CHECK(env, napi_queue_async_work(env, j->work));
  return promise;
}

/* deriveSha1(secrets, salt, iterations, kernel?): the PBKDF2-HMAC-SHA1 stage, 32-byte keys. */
static napi_value derive_sha1(napi_env env, napi_callback_info info) {
  job *j = job_from_args(env, info, true);
  if (!j) return NULL;
  pbkdf2_sha1_batch(j->sha1, (const uint8_t *const *)j->passwords, j->lengths, j->count, j->salt, j->salt_len,
                    j->iterations, j->out);
  napi_value result = job_result(env, j);
  job_free(j);
  return result;
}

/* vectorMix(isa, passes): vector instructions run (0 where the CPU lacks the set). */
static napi_value vector_mix_js(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  char isa[16] = "";
  size_t len;
  uint32_t passes = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || napi_get_value_string_utf8(env, argv[0], isa, sizeof isa, &len) != napi_ok ||
      napi_get_value_uint32(env, argv[1], &passes) != napi_ok) {
    napi_throw_type_error(env, NULL, "vectorMix(isa, passes)");
    return NULL;
  }
  CHECK(env, napi_create_double(env, (double)vector_mix(isa, passes), &result));
  return result;
}

static napi_value kernel_entry(napi_env env, const char *kernel_name, unsigned kernel_lanes,
                               int (*kernel_supported)(void)) {
  napi_value entry, name, lanes, supported;
  CHECK(env, napi_create_object(env, &entry));
  CHECK(env, napi_create_string_utf8(env, kernel_name, NAPI_AUTO_LENGTH, &name));
  CHECK(env, napi_create_uint32(env, kernel_lanes, &lanes));
  CHECK(env, napi_get_boolean(env, kernel_supported() != 0, &supported));
  CHECK(env, napi_set_named_property(env, entry, "name", name));
  CHECK(env, napi_set_named_property(env, entry, "lanes", lanes));
  CHECK(env, napi_set_named_property(env, entry, "supported", supported));
  return entry;
}

/* [{ name, lanes, supported }] for every kernel compiled in, best first. */
static napi_value kernels(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value list;
  CHECK(env, napi_create_array(env, &list));
  for (uint32_t i = 0; PBKDF2_KERNELS[i]; i++) {
    const pbkdf2_kernel *k = PBKDF2_KERNELS[i];
    napi_value entry = kernel_entry(env, k->name, k->lanes, k->supported);
    if (!entry) return NULL;
    CHECK(env, napi_set_element(env, list, i, entry));
  }
  return list;
}

/* The same for the SHA-1 kernels; lanes are PBKDF2 blocks (two per candidate). */
static napi_value sha1_kernels(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value list;
  CHECK(env, napi_create_array(env, &list));
  for (uint32_t i = 0; SHA1_KERNELS[i]; i++) {
    const sha1_kernel *k = SHA1_KERNELS[i];
    napi_value entry = kernel_entry(env, k->name, k->streams, k->supported);
    if (!entry) return NULL;
    CHECK(env, napi_set_element(env, list, i, entry));
  }
  return list;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"derive", NULL, derive, NULL, NULL, NULL, napi_enumerable, NULL},
      {"deriveAsync", NULL, derive_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"kernels", NULL, kernels, NULL, NULL, NULL, napi_enumerable, NULL},
      {"deriveSha1", NULL, derive_sha1, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sha1Kernels", NULL, sha1_kernels, NULL, NULL, NULL, napi_enumerable, NULL},
      {"vectorMix", NULL, vector_mix_js, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
