from ogpctl.cli import main

main()
