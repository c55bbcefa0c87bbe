{
  "targets": [
    {
      "target_name": "reclaim_pbkdf2",
      "sources": [
        "native/addon.c",
        "native/pbkdf2.c",
        "native/sha256_scalar.c",
        "native/pbkdf2_avx2.c",
        "native/pbkdf2_avx512.c",
        "native/pbkdf2_shani.c",
        "native/sha1.c",
        "native/sha1_kernels.c",
        "native/sha1_shani.c",
        "native/sha1_avx2.c",
        "native/sha1_avx512.c",
        "native/peak.c"
      ],
      "cflags": ["-O3", "-std=gnu11"],
      "cflags!": ["-O2"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3"] }
    }
  ]
}
