// Open the live-training page in your browser:
//
//   npx tsx examples/browser/serve.ts [port]     then open the printed address (add ?maxEpochs=9 for a short run)
import { buildLiveTrainingPage, serveLiveTrainingPage } from './page.js';

const page = await buildLiveTrainingPage();
const { url } = await serveLiveTrainingPage(page, Number(process.argv[2] ?? 8080));
console.log(`live training page (${(page.script.length / 1024).toFixed(0)} KB of script): ${url}   (Ctrl-C to stop)`);
