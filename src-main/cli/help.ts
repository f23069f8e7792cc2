/** `hashdeck --help` text. Keep it in step with args.ts and docs/cli.md. */
export const HELP = `hashdeck — mine with USB BM13xx ASIC boards (Bitaxe-class), headless

Usage:
  hashdeck mine     --device <spec> [device options] [--device …] [work] [options]
  hashdeck diagnose --device <spec> [--chip <model>] [--scale-bits K] [--expect-chips N] [--report <file.json>] [--sweep] [--json]
  hashdeck devices  [--json]
  hashdeck emulate  --pty [--chips N] [--model bm1366] [--scale-bits K] [--hashrate H/s]
                    [--noise rate] [--missing-chips i,j] [--dead-cores c,d]   (fault injection)
  hashdeck --help | --version

Devices (--device, repeatable; the options after a --device apply to that device):
  auto                     every recognised USB board (bitaxe-raw C0DE:CAFE, GekkoScience FTDI/CP210x)
  emulator[:chips]         the built-in emulator, in-process (default 1 chip; it sets its own scale)
  <serial path>            /dev/ttyACM1, COM5, a pty … (needs --chip)
    --chip <model>         bm1366 | bm1368 | bm1370 | bm1397
    --control <path>       bitaxe-raw control port beside the data port (sensors, voltage, fan, reset)
    --scale-bits K         0–32: the board on this path is an emulator that returns nonces at
                           ticket difficulty × 2^-K; its nonces are judged and weighted against the
                           scaled ticket target and the board is labelled emulated
    --expect-chips N       chips the board should have (a shortfall is reported)
    --ticket-difficulty <d>|auto   this board's ticket difficulty (see Options)

Work (one of):
  --pool <url>             stratum+tcp://host:port or stratum+ssl://host:port; repeat for failover order
    --user <U>             pool user, often <address>.<worker>
    --password <P>         pool password (default x)
    --suggest-difficulty d sent as given, fractional allowed (small boards need it)
    --extranonce-subscribe send mining.extranonce.subscribe
    --tls-insecure         accept a self-signed pool certificate
    --tls-fingerprint <h>  pin the pool certificate's SHA-256 fingerprint (hex)
    --dead-pool-timeout s  a pool silent this long is dead (default 90)
    --primary-probe-interval s   while on a backup, probe the primary this often (default 60)
  --node <url>             solo mining against your bitcoind, e.g. http://127.0.0.1:8332
    --payout <address>     every block pays this address (checked against the node's network)
    --rpc-cookie <file>    bitcoind's .cookie (found automatically in the default datadir otherwise)
    --rpc-user <u> --rpc-password <p>
  (neither)                benchmark mode: synthetic work, every nonce validated, nothing submitted
  Pools and a node together are refused (exit 2).

Options:
  --config <file.json>     read mine settings from a JSON file (resources/config.example.json);
                           flags on the command line add to it
  --frequency <MHz>        chip frequency (default: the model's default)
  --ticket-difficulty <d>|auto   ticket difficulty written to the chips (default 256). Before the
                           first --device for every board, after a --device for that one. auto:
                           the lowest power of two whose nonce replies take ≤ 2 % of the chips'
                           line at their expected hashrate (more nonces: a tighter hashrate)
  --data-dir <dir>         ledger, found blocks, settings (default shared with the desktop app:
                           ~/.config/HashDeck on Linux); one engine per data directory
  --http <host:port>       web dashboard, JSON API and WebSocket
  --metrics                add Prometheus /metrics to the web server
  --allow-writes           let the web dashboard run board tests, reset statistics and change
                           settings (read-only without it; a non-loopback --http still needs
                           --api-token; the cgminer API stays read-only)
  --cgminer-api [host:]port  cgminer-compatible read-only API (e.g. 4028)
  --api-token <t>          required for any non-loopback bind
  --duration <s>           stop after s seconds from engine start (init included), print the summary
  --json                   one JSON object per line on stdout; mine ends with {"type":"summary",…}

Exit codes: 0 ok (diagnose: PASS), 1 diagnose FAIL or runtime failure, 2 bad input.
`;
