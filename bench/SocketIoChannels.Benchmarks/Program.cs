using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/SocketIoChannels.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(SocketIoChannels.Benchmarks.FrameCodecBenchmarks).Assembly).Run(args);
