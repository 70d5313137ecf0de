using ScottPlot;

namespace SocketIoChannels.LoadTest.Runner;

/// <summary>Bar charts with ScottPlot 5.</summary>
internal static class Charts
{
    private static readonly Dictionary<string, Color> Colors = new()
    {
        ["ours"] = new Color(31, 119, 180),
        ["signalr"] = new Color(255, 127, 14),
        ["raw"] = new Color(127, 127, 127),
        ["node06"] = new Color(44, 160, 44),
        ["node48"] = new Color(214, 39, 40),
    };

    public static void Bars(string path, string title, string yLabel, Dictionary<string, double> values)
    {
        var plot = new Plot();
        var position = 0;
        var ticks = new List<Tick>();
        foreach (var (server, value) in values)
        {
            plot.Add.Bar(new Bar { Position = position, Value = value, FillColor = Colors.GetValueOrDefault(server, Colors["raw"]), Label = value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) });
            ticks.Add(new Tick(position, server));
            position++;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.SavePng(path, 640, 420);
    }

    public static void GroupedBars(string path, string title, string yLabel, List<(string Label, Dictionary<string, double> Values)> groups, string unit = "connections")
    {
        var plot = new Plot();
        var ticks = new List<Tick>();
        var servers = groups.SelectMany(g => g.Values.Keys).Distinct().OrderBy(ReportTables.Rank).ToList();
        var stride = servers.Count + 1;
        for (var g = 0; g < groups.Count; g++)
        {
            var (label, values) = groups[g];
            var offset = 0;
            foreach (var server in servers)
            {
                if (values.TryGetValue(server, out var value))
                {
                    plot.Add.Bar(new Bar { Position = (g * stride) + offset, Value = value, FillColor = Colors.GetValueOrDefault(server, Colors["raw"]) });
                }

                offset++;
            }

            ticks.Add(new Tick((g * stride) + ((servers.Count - 1) / 2.0), label + " " + unit));
        }

        foreach (var server in servers)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = server, FillColor = Colors.GetValueOrDefault(server, Colors["raw"]) });
        }

        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.SavePng(path, 720, 440);
    }
}
