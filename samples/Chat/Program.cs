using Chat;

// dotnet run --project samples/Chat                 -> http://127.0.0.1:9000
// dotnet run --project samples/Chat -- 0.0.0.0:8000 -> every interface, port 8000
WebApplication app;
try
{
    app = ChatApp.Build(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

app.Run();
return 0;
