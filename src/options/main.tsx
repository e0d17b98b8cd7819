document.getElementById('root')!.textContent='options'
