{
  # Two native parts, built by `npm install` (node-gyp):
  #  - strata_native.node: the N-API addon for what Node's fs cannot do
  #    (mknod for whiteouts and devices, extended attributes).
  #  - strata-shim: the namespace launcher and per-container monitor, a plain
  #    executable that the engine spawns (it serves Node and Electron alike).
  "targets": [
    {
      "target_name": "strata_native",
      "sources": ["<!@(ls -1 addon/*.c)"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    },
    {
      "target_name": "strata-shim",
      "type": "executable",
      "sources": ["<!@(ls -1 shim/*.c)"],
      "cflags": ["-Wall", "-Wextra", "-O2", "-D_GNU_SOURCE"],
      # zlib: rotated log files are gzip-compressed (log-opt compress).
      "libraries": ["-lz"],
      # The seccomp compiler's syscall names, from this machine's kernel headers.
      "actions": [
        {
          "action_name": "syscall_table",
          "inputs": ["syscall-table.sh"],
          "outputs": ["<(SHARED_INTERMEDIATE_DIR)/syscall_table.h"],
          "action": ["sh", "syscall-table.sh", "<@(_outputs)"]
        }
      ],
      "include_dirs": ["<(SHARED_INTERMEDIATE_DIR)"]
    }
  ]
}
