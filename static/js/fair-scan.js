// The booth page's camera: reads the student's ticket QR code (BarcodeDetector where the
// browser has one, otherwise jsQR on video frames, as the check-in page does) and puts the
// signed token into the meeting form's code field, for the representative to add a rating
// and a note and record the meeting. The server verifies the token.
(function () {
  "use strict";
  var box = document.getElementById("fair-camera");
  var field = document.getElementById("code");
  if (!box || !field || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  var video = document.getElementById("fair-video");
  var start = document.getElementById("fair-camera-start");
  var stop = document.getElementById("fair-camera-stop");
  var status = document.getElementById("fair-camera-status");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var detector = null;
  var stream = null;
  if ("BarcodeDetector" in window) {
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
  }
  if (!detector && typeof window.jsQR !== "function") { return; }
  box.hidden = false;

  function halt() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
    start.hidden = false;
    stop.hidden = true;
  }

  function found(text) {
    if (!text) { return; }
    field.value = text;
    status.textContent = box.dataset.msgRead;
    halt();
    var rating = document.getElementById("rating");
    if (rating) { rating.focus(); }
  }

  function read() {
    if (!stream || video.readyState < 2) { return Promise.resolve(); }
    if (detector) {
      return detector.detect(video).then(function (codes) {
        if (codes.length) { found(codes[0].rawValue); }
      }).catch(function () { /* a frame it could not read */ });
    }
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    var frame = context.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
    if (code) { found(code.data); }
    return Promise.resolve();
  }

  function loop() {
    if (!stream) { return; }
    read().then(function () { window.setTimeout(function () { window.requestAnimationFrame(loop); }, 150); });
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        status.textContent = box.dataset.msgOn;
        return video.play().then(loop);
      })
      .catch(function () { status.textContent = box.dataset.msgNoCamera; });
  });
  stop.addEventListener("click", halt);
})();
