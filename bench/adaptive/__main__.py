from bench.adaptive import main

main()
