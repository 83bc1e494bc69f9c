from servant_cli.cli import console

console()
