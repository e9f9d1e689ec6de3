//! Help texts (kept in step with docs/cli.md).

pub const USAGE: &str = "\
Usage: spacetrace <command> [arguments]

Commands:
  check FILE [--explain|--json] check a scenario and grade its saved questions
  ask FILE --from REF --to REF [--protocol tcp|udp] --port N [--json]
                                ask one question and explain the answer
  matrix FILE [--json | --list | --csv]
                                every source against every destination service
  diff BEFORE AFTER [--json]    the pairs whose answer differs between two scenarios
  import FILE...                Heroku CLI and AWS CLI JSON output into a scenario (to stdout)
  lesson check LESSON [SOLUTION] [--json]
                                check a lesson, or grade a learner's network on its challenges
  cidr BLOCK...                 describe CIDR blocks (network, range, size, RFC 1918)
  help [COMMAND]                show this message, or a command's

FILE is a Spacetrace scenario (JSON, format version 1 or 2, at most 4 MiB); - reads standard input.

REF names one end of a question, by ID or name (an ID wins; case is ignored if nothing matches):
  --from  APP/PROCESS          the first dyno of a process type (dyno:APP/PROCESS also works;
                               APP alone when the app has one process type; APP/PROCESS.N
                               names dyno N, as in api/web.2)
          host:NAME            a host in a VPC
          remote:NAME          a host in a remote network (reached by VPN)
          client:NAME          an internet client
  --to    hostname:APP         the app's default hostname (APP.herokuapp.com)
          discovery:APP/PROCESS  DNS service discovery (PROCESS.APP.app.localspace)
          dyno:APP/PROCESS     the private address of the process type's first dyno
                               (dyno:APP/PROCESS.N: dyno N's)
          addon:NAME           a data add-on
          host:NAME            a host in a VPC
          remote:NAME          a host in a remote network
          external:NAME        an external service on the internet
          localhost            another process in the same dyno
  Examples: --from api/worker --to host:warehouse --port 5432
            --from client:office-wifi --to hostname:api --port 443

Exit codes:
  0  success: check passed, ask connected, matrix printed, diff found no change, import wrote
     a scenario (its warnings on standard error)
  1  check: an error diagnostic, or a saved question did not answer as expected
     cidr: a block was refused
     diff: a pair changed
     lesson check: the lesson has a problem, or a challenge is not passed on SOLUTION
  2  bad usage, an unknown REF, a question Spacetrace does not model, or a file that cannot be
     read or is not a scenario (missing, not UTF-8, over 4 MiB, not JSON, unsupported version);
     import: a file that cannot be read or is not an output it imports
  3  ask: the connection is blocked

See docs/cli.md for more.";

pub const CHECK: &str = "\
Usage: spacetrace check FILE [--explain | --json]

Prints the scenario's diagnostics (errors and warnings, each with where it is; an error that a
configuration expectation covers is marked expected), then every saved question: \u{2714} when it
answers as its expectation says (the verdict, and every rule ID it requires is cited), \u{2716} with
what differed when not, \u{00b7} when it has no expectation; then every configuration expectation
(\"expect_diagnostics\": a rule the file must show, on an object): \u{2714} shown, \u{2716} not.

  --explain   under each question that differs, print its full trace
  --json      print the diagnostics, every question's and configuration expectation's result,
              and whether the lab passed, as JSON (see docs/cli.md)

Exit codes: 0 every error is one a configuration expectation covers and every expectation held;
1 an error no expectation covers, or an expectation that differs; 2 bad usage, or a file that
cannot be read or is not a scenario.";

pub const ASK: &str = "\
Usage: spacetrace ask FILE --from REF --to REF [--protocol tcp|udp] --port N [--json]

Asks one question and prints the trace: every hop, the rule each step applied, what the
destination sees as the source, and what to change when blocked. Under a blocked answer: what
else blocks once that is fixed, and one plan of changes that connects it when applied together,
or the step no configuration passes.

  --from REF        where the connection starts:
                      APP/PROCESS (or dyno:APP/PROCESS), host:NAME, remote:NAME, client:NAME
  --to REF          what it asks to reach:
                      hostname:APP, discovery:APP/PROCESS, dyno:APP/PROCESS, addon:NAME,
                      host:NAME, remote:NAME, external:NAME, localhost
  --protocol P      tcp (the default) or udp
  --port N          the destination port, 1 to 65535
  --json            print the trace as JSON instead, with its plan when blocked

APP and NAME match an ID, then a name, then either ignoring case. An unknown name lists the
valid ones.
Example: spacetrace ask scenarios/default.json --from api/worker --to host:warehouse --port 5432

Exit codes: 0 connected; 3 blocked; 2 bad usage, an unknown REF, a question Spacetrace does not
model (neither end on Heroku), or a file that cannot be read or is not a scenario.";

pub const MATRIX: &str = "\
Usage: spacetrace matrix FILE [--json | --list | --csv]

Asks every source (dynos, VPC hosts, remote hosts, internet clients) about every destination
service (app hostnames on 443, dyno addresses on their ports, data add-ons, VPC hosts, remote
hosts and external services on their ports) and prints the verdicts.

The table numbers the services (columns) and gives one row per source:
\u{2714} connected, \u{2716} blocked, \u{00b7} not modelled (neither end on Heroku); then the counts
and how often each rule blocked. A table wider than 120 columns is printed as one block per
source instead, listing the services it connects to and those it is blocked from, with the
blocking rule. A matrix holds at most 8,388,608 pairs: a larger one is cut at a whole
source, and says so (a line under the title; a note on standard error with --csv).

  --list   always print one block per source
  --json   print {scenario, complete, sources_total, sources, services, cells, counts}:
           complete is false when the matrix is cut, sources_total counts every source;
           sources and services have a ref (as ask takes it) and a label; cells[row][column]
           is null or {verdict, blocked_by}
  --csv    print CSV (RFC 4180, CRLF line ends): a header, source then one column per
           service (REF PROTOCOL/PORT, as in host:warehouse tcp/5432); one record per
           source (its REF), each cell connected, blocked:RULE-ID, or empty when not
           modelled

Exit codes: 0 printed; 2 bad usage, or a file that cannot be read or is not a scenario.";

pub const DIFF: &str = "\
Usage: spacetrace diff BEFORE AFTER [--json]

Compares the matrices of two scenarios (before and after a change) and lists every pair whose
answer differs. Pairs are matched by their REFs, protocol and port, so objects may be added,
removed or reordered between the files.

  opened   blocked before, connected after
  closed   connected before, blocked after
  changed  blocked in both, by a different rule
  added    answered only after (a new source or service)
  removed  answered only before

Each pair shows both answers (with the blocking rule) and, when it is in both files, the first
step where the two traces differ (hop and step numbered from 1, as ask prints them). A summary
line counts each kind. One of BEFORE and AFTER may be - (standard input). A side whose
matrix is cut (more than 8,388,608 pairs) is named in a line under the files.

  --json   print {before, after, summary, changes}: before and after are {file, scenario,
           complete, sources_total};
           summary counts opened, closed, changed, added and removed; each change has
           change, source, destination, protocol, port, before and after (null or
           {verdict, blocked_by}) and first_difference (null or {hop, step, before, after},
           hop and step from 0; each side null or {component, rule, decision, text})

Exit codes: 0 no pair changed; 1 a pair changed; 2 bad usage, or a file that cannot be read or
is not a scenario.";

pub const IMPORT: &str = "\
Usage: spacetrace import FILE... > scenario.json

Reads the JSON output of Heroku CLI and AWS CLI commands and writes one Spacetrace scenario
(format version 2) to standard output. Each FILE is recognised from its shape:

  heroku  spaces:info, spaces:peerings, spaces:peerings:info, spaces:vpn:info,
          spaces:vpn:connections, spaces:topology, spaces:trusted-ips, apps:info (with --json)
  aws ec2 describe-vpcs, describe-subnets, describe-route-tables, describe-security-groups,
          describe-network-acls, describe-vpc-peering-connections, describe-instances,
          describe-network-interfaces, describe-nat-gateways, describe-internet-gateways,
          describe-prefix-lists, describe-vpn-connections, describe-customer-gateways

The files make one scenario: the space's peering and AWS's peering with the same pcx- ID are
one peering; instances land in their subnets with their security groups; the topology gives
process types their dynos. What Spacetrace does not model (transit gateways, endpoints, IPv6,
ICMP rules, AWS site-to-site VPNs...) is named on standard error, one warning a line, with the
file and the JSON path. VPN pre-shared keys and customer gateway configurations are never
written. - reads standard input (once); at most 200 files of up to 32 MiB each.

Example: spacetrace import space.json peerings.json vpcs.json subnets.json > scenario.json
         spacetrace check scenario.json

Exit codes: 0 imported (with or without warnings); 2 bad usage, or a file that cannot be read,
is not JSON, is not an output Spacetrace imports, or is a Spacetrace scenario already.";

pub const CIDR: &str = "\
Usage: spacetrace cidr BLOCK...

Describes each CIDR block: its network, range, size and whether it is private (RFC 1918).

Exit codes: 0 every block described; 1 a block was refused; 2 bad usage.";

pub const LESSON: &str = "\
Usage: spacetrace lesson check LESSON [SOLUTION] [--json]

LESSON is a lesson file (docs/lesson-format.md). Without SOLUTION, checks the lesson itself: it
reads, every task's question can be asked of its starting network, every prediction's stored
answer is the engine's, and the starting network fails every challenge; prints its tasks and each
challenge's outcomes at the start. With SOLUTION (a learner's exported scenario, or a lesson file
holding the learner's network), grades every challenge on it and prints each outcome.

  --json      print the diagnostics and every task's result as JSON (see docs/cli.md)

Exit codes: 0 without SOLUTION the lesson has no problem, with SOLUTION every challenge passes;
1 a problem with the lesson, or a challenge not passed; 2 bad usage, or a file that cannot be
read or is not a lesson (or, for SOLUTION, not a scenario).";
