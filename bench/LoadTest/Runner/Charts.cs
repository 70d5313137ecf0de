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

    public static void GroupedBars(string path, string title, string yLabel, List<(string Label, Dictionary<string, double> Values)> groups)
    {
        var plot = new Plot();
        var ticks = new List<Tick>();
        for (var g = 0; g < groups.Count; g++)
        {
            var (label, values) = groups[g];
            var offset = 0;
            foreach (var (server, value) in values.OrderBy(v => v.Key == "ours" ? 0 : v.Key == "signalr" ? 1 : 2))
            {
                plot.Add.Bar(new Bar { Position = (g * 4) + offset, Value = value, FillColor = Colors.GetValueOrDefault(server, Colors["raw"]) });
                offset++;
            }

            ticks.Add(new Tick((g * 4) + 1, label + " connections"));
        }

        foreach (var (server, color) in Colors)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = server, FillColor = color });
        }

        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.SavePng(path, 720, 440);
    }
}
