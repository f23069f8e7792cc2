{
  "targets": [
    {
      "target_name": "hashdeck_native",
      "sources": ["src/addon.c", "src/sha256_scalar.c", "src/sha256_shani.c", "src/scan.c", "src/scan_shani.c", "src/openpty.c", "src/file-lock.c"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"],
      "conditions": [
        ["OS=='linux'", { "libraries": ["-lutil"] }]
      ]
    }
  ]
}
