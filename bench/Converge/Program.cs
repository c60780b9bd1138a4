using Sidecar.Bench;

// The convergence figures of docs/discovery.md: convergence (watch vs polling) and the cost of one reconcile over 10,000 connections.
if (args is ["serve", var dir, var seconds]) { await StandInServe.RunAsync(dir, int.Parse(seconds)); return; }
if (args is ["churn", ..]) { ChurnBench.Run(args.Length > 1 ? int.Parse(args[1]) : 2000); return; }
var iterations = args.Length > 0 ? int.Parse(args[0]) : 200;
var pollIterations = args.Length > 1 ? int.Parse(args[1]) : 20;
var passes = args.Length > 2 ? int.Parse(args[2]) : 500;

Console.WriteLine($"== convergence: stand-in API change → DNS table published (watch), {iterations} changes");
Console.WriteLine($"   {Stats.Describe(await ConvergenceBench.RunAsync(watch: true, TimeSpan.FromMinutes(5), iterations))}");
Console.WriteLine($"== peer: polling only (--discovery=poll --poll-interval=1s; the default interval is 10 s), {pollIterations} changes");
Console.WriteLine($"   {Stats.Describe(await ConvergenceBench.RunAsync(watch: false, TimeSpan.FromSeconds(1), pollIterations))}");
Console.WriteLine($"== reconcile cost, {passes} passes");
ReconcileBench.Run(passes);
