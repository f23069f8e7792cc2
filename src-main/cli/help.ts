/** `hashdeck --help` text. Keep it in step with args.ts and docs/cli.md. */
export const HELP = `hashdeck — mine with USB BM13xx ASIC boards (Bitaxe-class), headless

Usage:
  hashdeck mine     --device <spec> [device options] [--device …] [work] [options]
  hashdeck diagnose --device <spec> [--chip <model>] [--scale-bits K] [--expect-chips N] [--report <file.json>] [--sweep] [--json]
  hashdeck devices  [--json]
  hashdeck notify-test --notify <kind>=<target> [--notify …] [--telegram-token <t>] [--json]
  hashdeck export   --what shares|samples|blocks [--from <ISO time>] [--to <ISO time>] [--data-dir <dir>]
  hashdeck emulate  --pty [--chips N] [--model bm1366] [--scale-bits K] [--hashrate H/s]
                    [--noise rate] [--missing-chips i,j] [--dead-cores c,d]   (fault injection)
  hashdeck --help | --version

Devices (--device, repeatable; the options after a --device apply to that device):
  auto                     every recognised USB board (bitaxe-raw C0DE:CAFE, GekkoScience FTDI/CP210x)
  emulator[:chips]         the built-in emulator, in-process (default 1 chip; it sets its own scale)
  <serial path>            /dev/ttyACM1, COM5, a pty … (needs --chip; must exist at start, then a
                           board that goes away is waited for)
    --chip <model>         bm1366 | bm1368 | bm1370 | bm1397
    --control <path>       bitaxe-raw control port beside the data port (sensors, voltage, fan, reset)
    --scale-bits K         0–32: the board on this path is an emulator that returns nonces at
                           ticket difficulty × 2^-K; its nonces are judged and weighted against the
                           scaled ticket target and the board is labelled emulated
    --expect-chips N       chips the board should have (a shortfall is reported)
    --frequency <MHz>      this board's chip frequency, inside its chip's range (BM1366 300–575,
                           BM1368 400–575, BM1370 400–625, BM1397 200–600); wins over a remembered
                           tuning and over a --frequency given before any --device
    --core-voltage-mv <mV> this board's core voltage, inside its chip's range (BM1366 1000–1300,
                           BM1368 1100–1300, BM1370 1000–1250, BM1397 1100–1500); needs --control
                           (the built-in emulator has one)
    --paused               start paused: initialised, then held in reset until resumed (from the
                           dashboard, or by the schedule)
    --worker <name>        pool worker name of this board (default its id): shares go as
                           <user>.<name> when --user has no worker part
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
    --coinbase-tag <text>  text in the coinbase of solo blocks (default /HashDeck/; at most 85 bytes)
  (neither)                benchmark mode: synthetic work, every nonce validated, nothing submitted
  Pools and a node together are refused (exit 2).

Wi-Fi miners (AxeOS: ESP-Miner and forks):
  --axeos <host[:port]>    watch one by address (repeatable): polled every 5 s and shown beside the
                           USB boards (dashboard, cgminer API, /metrics, History). Nothing is
                           scanned: only the addresses given are contacted
Network miners (HashDeck as the home's pool; needs --node or --pool):
  --serve-stratum [host:]port  Stratum v1 server for Wi-Fi Bitaxes, NerdMiners, Avalons … (127.0.0.1
                           unless a host is named, e.g. 0.0.0.0:3333); solo from the node, or a proxy
                           to the pool with the extranonce space shared
  --stratum-allow <cidr>   also accept this block (repeatable); beyond loopback only private ranges
                           (10/8, 172.16/12, 192.168/16, link-local, fc00::/7) are accepted otherwise
  --stratum-min-difficulty d   vardiff floor (default 0.0001; fractional allowed)
  --stratum-pay-username   solo: each miner's blocks pay the address its username starts with
                           (<address>.<worker>); other usernames are refused

Options:
  --config <file.json>     read mine settings from a JSON file (resources/config.example.json);
                           flags on the command line add to it
  --frequency <MHz>        before any --device: the default frequency of every board (default: each
                           model's default, or the setting remembered from a tuning run)
  --schedule <file.json>   when to mine, pause or run a tuning profile: weekday windows in a time
                           zone, a price limit, pause above an ambient temperature (README)
  --ticket-difficulty <d>|auto   ticket difficulty written to the chips (default 256). Before the
                           first --device for every board, after a --device for that one. auto:
                           the lowest power of two whose nonce replies take ≤ 2 % of the chips'
                           line at their expected hashrate (more nonces: a tighter hashrate)
  --data-dir <dir>         ledger, found blocks, settings (default shared with the desktop app:
                           ~/.config/HashDeck on Linux); one engine per data directory
  --http <host:port>       web dashboard, JSON API and WebSocket
  --metrics                add Prometheus /metrics to the web server
  --allow-writes           let the web dashboard run board tests, reset statistics, change
                           settings and restart or re-point AxeOS devices, and MQTT commands act
                           (read-only without it; a non-loopback --http still needs --api-token;
                           the cgminer API stays read-only)
  --cgminer-api [host:]port  cgminer-compatible read-only API (e.g. 4028)
  --api-token <t>          required for any non-loopback bind (at least 16 characters)
  --duration <s>           stop after s seconds from engine start (init included), print the summary
  --json                   one JSON object per line on stdout; mine ends with {"type":"summary",…}

Notifications and Home Assistant:
  --notify <kind>=<target> repeatable: webhook=<url>, ntfy=<topic url>, discord=<webhook url>,
                           telegram=<chat id>; these options follow the --notify they apply to:
    --notify-events <list> which events (block, best-all-time, best-session, board-lost,
                           over-temperature, hw-errors, pool-down, failover, node-unreachable,
                           payout-check, engine; default all but best-session)
    --notify-secret <s>    webhook: HMAC-SHA256 key (X-HashDeck-Signature); ntfy: access token
  --telegram-token <t>     the bot token for telegram channels
  --telegram-api <url>     another Bot API base URL (default https://api.telegram.org)
  --mqtt <url>             mqtt[s]://[user:pass@]host:port: state and Home Assistant discovery;
                           commands (pause, resume, restart) only with --allow-writes
  --mqtt-node-id <id>      Home Assistant node id (default hashdeck_<host name>)

mine runs until SIGINT/SIGTERM or --duration (a second signal exits at once), then prints the summary.
Exit codes: 0 ok (diagnose: PASS), 1 diagnose FAIL or runtime failure, 2 bad input (also mine
without --device or --axeos, a serial path that does not exist), 130/143 a second SIGINT/SIGTERM.
`;
